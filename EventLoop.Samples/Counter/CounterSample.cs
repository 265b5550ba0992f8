using System.CommandLine;

namespace EventLoop.Samples.Counter;

/// <summary>
/// The asyncio <c>counter()</c> example: a task that prints a count every interval until
/// Ctrl+C. The smallest useful loop program: one timer-driven task, a graceful stop.
/// </summary>
public static class CounterSample
{
    /// <summary>The straight-line task: print, sleep, repeat.</summary>
    public static async LoopTask RunAsync(Loop loop, TextWriter output, TimeSpan interval, int? limit = null)
    {
        for (int count = 1; limit is null || count <= limit; count++)
        {
            await output.WriteLineAsync($"count {count}");
            await loop.Delay(interval);
        }
    }

    /// <summary>The <c>counter</c> sub-command.</summary>
    public static Command CreateCommand()
    {
        var interval = new Option<double>("--interval") { Description = "Seconds between counts", DefaultValueFactory = _ => 1.0 }.MustBeAnInterval();
        var limit = new Option<int?>("--limit") { Description = "Stop after this many counts (default: until Ctrl+C)" }.MustBeAtLeast(1);
        var command = new Command("counter", "A task that prints a count every second until Ctrl+C") { interval, limit };
        command.SetAction(parsed => SampleRunner.Run((loop, _) =>
            RunAsync(loop, Console.Out, TimeSpan.FromSeconds(parsed.GetValue(interval)), parsed.GetValue(limit))));
        return command;
    }
}
