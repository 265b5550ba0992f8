using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Http;

/// <summary>
/// The <c>http</c> sub-mode: each server in a process of its own pinned to CPU 0 (the echo
/// command's process model), wrk on the other CPUs: a warm-up run, then the measured run bracketed
/// by the server's "start"/"stop" (its CPU time and allocations in that window). Prints a markdown
/// table: requests/s, p50/p99, server CPU per request, requests per server CPU-second, the ratio to
/// Kestrel's, bytes allocated per request.
/// </summary>
internal static class HttpCommand
{
    private sealed record Result(HttpServerKind Kind, WrkResult Wrk, ServerStats Server, int Duration)
    {
        public double CpuMicrosecondsPerRequest => (double)Server.CpuMicroseconds / Wrk.Requests;
        public double RequestsPerCpuSecond => Wrk.Requests / (Server.CpuMicroseconds / 1e6);
        public double BytesPerRequest => (double)Server.AllocatedBytes / Wrk.Requests;
        public double Busy => Server.CpuMicroseconds / 1e6 / Duration;
    }

    public static int Run(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(HttpOptions.Usage);
            return 0;
        }
        HttpOptions options;
        try
        {
            options = HttpOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"http: {e.Message}\n\n{HttpOptions.Usage}");
            return 2;
        }
        if (Which("wrk") is null)
        {
            Console.Error.WriteLine("http: wrk is not installed (apt-get install -y wrk).");
            return 1;
        }
        bool pin = options.Pin && SelfProcess.CanPin;
        Console.WriteLine($"HTTP: wrk -t1 -c{options.Connections} -d{options.Duration}s --latency http://127.0.0.1:PORT/ after a {options.Warmup} s warm-up run, {options.Rounds} round(s).");
        Console.WriteLine(pin
            ? $"Each server pinned to CPU {SelfProcess.ServerCpu}, wrk to CPUs {SelfProcess.GeneratorCpus} (taskset). {RuntimeInformation.FrameworkDescription}."
            : $"Not pinned. {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} CPUs.");
        var rounds = new List<Result[]>();
        try
        {
            for (int round = 1; round <= options.Rounds; round++)
            {
                var results = new List<Result>();
                foreach (var kind in options.Servers)
                {
                    var result = MeasureAsync(kind, options, pin).GetAwaiter().GetResult();
                    Console.Error.WriteLine($"  round {round}, {kind.Name()}: {result.Wrk.RequestsPerSecond:N0} requests/s, {result.CpuMicrosecondsPerRequest:0.00} µs CPU a request.");
                    results.Add(result);
                }
                rounds.Add(results.ToArray());
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"http: FAILED: {e}");
            return 1;
        }
        Console.WriteLine();
        Console.Write(Table(rounds));
        return 0;
    }

    private static async Task<Result> MeasureAsync(HttpServerKind kind, HttpOptions options, bool pin)
    {
        using var server = await ServerProcess.StartAsync(HttpServerMode.Mode, kind.Name(), pin, TimeSpan.FromSeconds(options.Warmup + options.Duration + 120));
        if (options.Warmup > 0) Wrk(server.Port, options.Connections, options.Warmup, pin);
        await server.StartWindowAsync();
        var wrk = Wrk(server.Port, options.Connections, options.Duration, pin);
        var stats = await server.StopWindowAsync();
        await server.ExitAsync();
        return new Result(kind, wrk, stats, options.Duration);
    }

    private static WrkResult Wrk(int port, int connections, int seconds, bool pin)
    {
        var command = new List<string>();
        if (pin) command.AddRange(["taskset", "-c", SelfProcess.GeneratorCpus]);
        command.AddRange(["wrk", "-t1", $"-c{connections}", $"-d{seconds}s", "--latency", $"http://127.0.0.1:{port}/"]);
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1)) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start wrk.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(seconds + 30)))
        {
            SelfProcess.KillQuietly(process);
            throw new TimeoutException("wrk did not finish.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {errors.Result}");
        return WrkResult.Parse(output.Result);
    }

    private static string Table(IReadOnlyList<Result[]> rounds)
    {
        var text = new StringBuilder();
        text.AppendLine("| Server | requests/s | p50 | p99 | server CPU µs/request | requests per server CPU-second | vs Kestrel | B allocated/request | server CPU busy | wrk timeouts (> 2 s) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var kind in rounds[0].Select(r => r.Kind))
        {
            var runs = rounds.Select(round => round.Single(r => r.Kind == kind)).ToArray();
            text.AppendLine(string.Join(" | ",
                "| " + kind.Title(),
                ReportCells.WithRange(runs.Select(r => r.Wrk.RequestsPerSecond).ToArray(), "N0"),
                ReportCells.Micro(ReportCells.Median(runs.Select(r => r.Wrk.P50.TotalMicroseconds))),
                ReportCells.Micro(ReportCells.Median(runs.Select(r => r.Wrk.P99.TotalMicroseconds))),
                ReportCells.WithRange(runs.Select(r => r.CpuMicrosecondsPerRequest).ToArray(), "0.00"),
                ReportCells.WithRange(runs.Select(r => r.RequestsPerCpuSecond).ToArray(), "N0"),
                ReportCells.RatioWithinRounds(rounds, r => r.Kind == kind, r => r.Kind == HttpServerKind.Kestrel, r => r.RequestsPerCpuSecond),
                ReportCells.F("{0:0.###}", runs.Max(r => r.BytesPerRequest)),
                ReportCells.F("{0:0%}", ReportCells.Median(runs.Select(r => r.Busy))),
                ReportCells.F("{0:N0}", runs.Sum(r => r.Wrk.Timeouts)) + " |"));
        }
        return text.ToString();
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
