using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// How a load command (<c>echo</c>, <c>chat</c>) runs. The process the user starts only re-launches
/// itself as the load generator — pinned with taskset to the CPUs the servers do not use, with
/// inline socket completions — and waits for it with a time limit. The generator measures each
/// server in a process of its own, every server once a round, and prints one markdown table.
/// </summary>
internal static class GeneratorCommand
{
    /// <summary>What one command supplies.</summary>
    /// <param name="Name">The sub-mode, as typed (<c>echo</c>).</param>
    /// <param name="Usage">Printed for --help and after a bad option.</param>
    /// <param name="Parse">Parses the arguments; throws <see cref="ArgumentException"/> on a bad one.</param>
    /// <param name="Describe">The header line of the report.</param>
    /// <param name="Servers">The servers of a round, in order.</param>
    /// <param name="Measure">Measures one server once; any failure throws.</param>
    /// <param name="Progress">One line on standard error after each measurement.</param>
    /// <param name="Table">The report, from every round's results.</param>
    public sealed record Spec<TOptions, TKind, TResult>(
        string Name,
        string Usage,
        Func<IReadOnlyList<string>, TOptions> Parse,
        Func<TOptions, string> Describe,
        Func<TOptions, IReadOnlyList<TKind>> Servers,
        Func<TKind, TOptions, Task<TResult>> Measure,
        Func<TKind, TResult, string> Progress,
        Func<IReadOnlyList<TResult[]>, string> Table)
        where TOptions : LoadOptions;

    public static int Run<TOptions, TKind, TResult>(Spec<TOptions, TKind, TResult> spec, string[] args) where TOptions : LoadOptions
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(spec.Usage);
            return 0;
        }
        TOptions options;
        try
        {
            options = spec.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{spec.Name}: {e.Message}\n\n{spec.Usage}");
            return 2;
        }
        return Environment.GetEnvironmentVariable(SelfProcess.GeneratorMarker) switch
        {
            "pinned" => MeasureRoundsAsync(spec, options with { Pin = true }).GetAwaiter().GetResult(),
            "unpinned" => MeasureRoundsAsync(spec, options with { Pin = false }).GetAwaiter().GetResult(),
            _ => RelaunchAsGenerator(spec.Name, args, options),
        };
    }

    private static int RelaunchAsGenerator(string name, string[] args, LoadOptions options)
    {
        bool pin = options.Pin && SelfProcess.CanPin;
        var psi = SelfProcess.StartInfo([name, .. args], pin ? SelfProcess.GeneratorCpus : null);
        psi.Environment[SelfProcess.GeneratorMarker] = pin ? "pinned" : "unpinned";
        psi.Environment[SelfProcess.InlineCompletions] = "1";
        using var generator = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the load generator.");
        // Ctrl+C: take the generator and its servers down too, then exit.
        Console.CancelKeyPress += (_, _) => SelfProcess.KillQuietly(generator);
        var limit = options.PerServerBudget * options.ServerCount * options.Rounds + TimeSpan.FromSeconds(60);
        if (!generator.WaitForExit(limit))
        {
            Console.Error.WriteLine($"{name}: the run did not finish within {limit.TotalSeconds:0} s; killing it.");
            SelfProcess.KillQuietly(generator);
            return 1;
        }
        return generator.ExitCode;
    }

    private static async Task<int> MeasureRoundsAsync<TOptions, TKind, TResult>(Spec<TOptions, TKind, TResult> spec, TOptions options) where TOptions : LoadOptions
    {
        Console.WriteLine($"{char.ToUpperInvariant(spec.Name[0])}{spec.Name[1..]}: {spec.Describe(options)}.");
        Console.WriteLine(options.Pin
            ? $"Each server pinned to CPU {SelfProcess.ServerCpu}, the generator to the other CPUs (taskset). {RuntimeInformation.FrameworkDescription}."
            : $"Not pinned. {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} CPUs.");
        var rounds = new List<TResult[]>();
        try
        {
            // Interleaved (all servers, then all again): slow drift in the background load then
            // spreads over every server instead of landing on whichever ran last.
            for (int round = 1; round <= options.Rounds; round++)
            {
                var results = new List<TResult>();
                foreach (var kind in spec.Servers(options))
                {
                    var result = await spec.Measure(kind, options);
                    Console.Error.WriteLine($"  round {round}, {spec.Progress(kind, result)}");
                    results.Add(result);
                }
                rounds.Add(results.ToArray());
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{spec.Name}: FAILED: {e}");
            return 1;
        }
        Console.WriteLine();
        Console.Write(spec.Table(rounds));
        return 0;
    }
}
