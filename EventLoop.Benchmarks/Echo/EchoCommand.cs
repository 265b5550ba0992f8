using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// The <c>echo</c> sub-mode. The process the user starts only re-launches itself as the load
/// generator — pinned with taskset to the CPUs the servers do not use, with inline socket
/// completions — and waits for it with a time limit. The generator measures each server in a
/// process of its own (<see cref="EchoRun"/>) and prints one markdown table.
/// </summary>
internal static class EchoCommand
{
    public static int Run(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(EchoOptions.Usage);
            return 0;
        }
        EchoOptions options;
        try
        {
            options = EchoOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"echo: {e.Message}\n\n{EchoOptions.Usage}");
            return 2;
        }
        return Environment.GetEnvironmentVariable(SelfProcess.GeneratorMarker) switch
        {
            "pinned" => RunGeneratorAsync(options with { Pin = true }).GetAwaiter().GetResult(),
            "unpinned" => RunGeneratorAsync(options with { Pin = false }).GetAwaiter().GetResult(),
            _ => RelaunchAsGenerator(args, options),
        };
    }

    private static int RelaunchAsGenerator(string[] args, EchoOptions options)
    {
        bool pin = options.Pin && SelfProcess.CanPin;
        var psi = SelfProcess.StartInfo(["echo", .. args], pin ? SelfProcess.GeneratorCpus : null);
        psi.Environment[SelfProcess.GeneratorMarker] = pin ? "pinned" : "unpinned";
        psi.Environment[SelfProcess.InlineCompletions] = "1";
        using var generator = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the load generator.");
        // Ctrl+C: take the generator and its servers down too, then exit.
        Console.CancelKeyPress += (_, _) => SelfProcess.KillQuietly(generator);
        var limit = options.PerServerBudget * options.Servers.Count * options.Rounds + TimeSpan.FromSeconds(60);
        if (!generator.WaitForExit(limit))
        {
            Console.Error.WriteLine($"echo: the run did not finish within {limit.TotalSeconds:0} s; killing it.");
            SelfProcess.KillQuietly(generator);
            return 1;
        }
        return generator.ExitCode;
    }

    private static async Task<int> RunGeneratorAsync(EchoOptions options)
    {
        Console.WriteLine($"Echo: {options.Describe()}.");
        Console.WriteLine(options.Pin
            ? $"Each server pinned to CPU {SelfProcess.ServerCpu}, the generator to the other CPUs (taskset). {RuntimeInformation.FrameworkDescription}."
            : $"Not pinned. {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} CPUs.");
        var rounds = new List<EchoResult[]>();
        try
        {
            // Interleaved (all servers, then all again): slow drift in the background load then
            // spreads over every server instead of landing on whichever ran last.
            for (int round = 1; round <= options.Rounds; round++)
            {
                var results = new List<EchoResult>();
                foreach (var kind in options.Servers)
                {
                    var result = await EchoRun.MeasureAsync(kind, options);
                    Console.Error.WriteLine($"  round {round}, {kind.Name()}: {result.MessagesPerSecond:N0} msgs/s, {result.Messages:N0} messages verified in the window.");
                    results.Add(result);
                }
                rounds.Add(results.ToArray());
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"echo: FAILED: {e}");
            return 1;
        }
        Console.WriteLine();
        Console.Write(EchoReport.Table(rounds));
        return 0;
    }
}
