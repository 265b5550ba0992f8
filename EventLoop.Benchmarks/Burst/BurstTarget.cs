using System.Diagnostics;
using System.Runtime.InteropServices;
using EventLoop.Benchmarks.Echo;
using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Burst;

/// <summary>
/// One server under the burst, in a process of its own: a real sample (<c>echo</c>,
/// <c>echo-protocol</c>, <c>echo-sockets</c>) started as a user starts it, or the .NET async-socket
/// baseline of the echo benchmark. Dispose kills whatever has not exited.
/// </summary>
internal sealed class BurstTarget : IAsyncDisposable
{
    /// <summary>The idiomatic .NET server (Socket.*Async, one Task a connection), measured in the same run.</summary>
    public const string Baseline = "dotnet";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly Process? _sample;
    private readonly ServerProcess? _baseline;

    private BurstTarget(Process? sample, ServerProcess? baseline, int port)
    {
        _sample = sample;
        _baseline = baseline;
        Port = port;
    }

    public int Port { get; }

    /// <summary>CPU time the server has used so far (user and system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            if (_baseline is not null) return _baseline.ProcessorTime;
            _sample!.Refresh();
            return _sample.TotalProcessorTime;
        }
    }

    public static async Task<BurstTarget> StartAsync(string name)
    {
        if (name == Baseline)
        {
            var baseline = await ServerProcess.StartAsync("echo-server", ServerKind.Dotnet.Name(), pin: false, TimeSpan.FromMinutes(5));
            return new BurstTarget(null, baseline, baseline.Port);
        }
        // Standard error is read and dropped: the samples' own logs are not the benchmark's output.
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EventLoop.Samples.dll"));
        foreach (var argument in new[] { name, "--port", "0" }) psi.ArgumentList.Add(argument);
        var sample = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start the {name} sample.");
        sample.ErrorDataReceived += (_, _) => { };
        sample.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            string line = await sample.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"{name} exited before it listened.");
            if (!line.Contains(" listening on ", StringComparison.Ordinal)) throw new InvalidOperationException($"{name} said '{line}'.");
            return new BurstTarget(sample, null, int.Parse(line[(line.LastIndexOf(':') + 1)..]));
        }
        catch
        {
            SelfProcess.KillQuietly(sample);
            sample.Dispose();
            throw;
        }
    }

    /// <summary>Stops the server the way its user would (SIGTERM for a sample) and fails the run unless it exits cleanly.</summary>
    public async Task StopAsync()
    {
        if (_baseline is not null)
        {
            await _baseline.ExitAsync();
            return;
        }
        if (kill(_sample!.Id, SigTerm) != 0) throw new InvalidOperationException("Could not signal the sample.");
        using var timeout = new CancellationTokenSource(Patience);
        await _sample.WaitForExitAsync(timeout.Token);
        if (_sample.ExitCode != 0) throw new InvalidOperationException($"The sample exited with code {_sample.ExitCode}.");
    }

    public ValueTask DisposeAsync()
    {
        _baseline?.Dispose();
        if (_sample is not null)
        {
            SelfProcess.KillQuietly(_sample);
            _sample.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
