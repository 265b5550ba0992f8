using System.CommandLine;

namespace EventLoop.Samples.Fib;

/// <summary>
/// CPU-heavy work kept off the loop: Fibonacci numbers are computed on the thread pool with
/// <c>RunInExecutor</c> while a timer on the loop keeps ticking on time. Run the same work on
/// the loop thread and the ticks would stop until it finished.
/// </summary>
public static class FibSample
{
    /// <summary>The largest n whose Fibonacci number fits a long.</summary>
    public const int MaxN = 92;

    /// <summary>Naive recursion on purpose: it is the CPU load.</summary>
    public static long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);

    /// <summary>Computes fib(from..to) off the loop while a tick prints every <paramref name="interval"/>.</summary>
    public static async LoopTask RunAsync(Loop loop, TextWriter output, int from, int to, TimeSpan interval)
    {
        var ticker = loop.Spawn(() => TickAsync(loop, output, interval));
        try
        {
            for (int n = from; n <= to; n++)
            {
                int k = n;
                long result = await loop.RunInExecutor(() => Fib(k));
                await output.WriteLineAsync($"fib({k}) = {result}");
            }
        }
        finally
        {
            ticker.Cancel();
        }
    }

    private static async LoopTask TickAsync(Loop loop, TextWriter output, TimeSpan interval)
    {
        for (int tick = 1; ; tick++)
        {
            await loop.Delay(interval);
            await output.WriteLineAsync($"tick {tick}");
        }
    }

    /// <summary>The <c>fib</c> sub-command.</summary>
    public static Command CreateCommand()
    {
        const int defaultFrom = 30, defaultTo = 40;
        var from = new Option<int>("--from") { Description = "First n", DefaultValueFactory = _ => defaultFrom }.MustBeBetween(0, MaxN);
        var to = new Option<int>("--to") { Description = $"Last n (at most {MaxN}: fib({MaxN + 1}) overflows a long)", DefaultValueFactory = _ => defaultTo }.MustBeBetween(0, MaxN);
        var interval = new Option<double>("--interval") { Description = "Seconds between ticks", DefaultValueFactory = _ => 0.5 }.MustBeAnInterval();
        var command = new Command("fib", "CPU work off the loop with RunInExecutor while a timer keeps ticking") { from, to, interval };
        command.Validators.Add(result =>
        {
            if (OptionValidation.TryGetValue(result, from, defaultFrom, out int first) && OptionValidation.TryGetValue(result, to, defaultTo, out int last) && last < first) result.AddError($"--to must not be less than --from (got --from {first} --to {last}).");
        });
        command.SetAction(parsed => SampleRunner.Run((loop, _) =>
            RunAsync(loop, Console.Out, parsed.GetValue(from), parsed.GetValue(to), TimeSpan.FromSeconds(parsed.GetValue(interval)))));
        return command;
    }
}
