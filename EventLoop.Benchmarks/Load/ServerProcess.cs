using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// The generator's handle on one server child (the hidden <c>echo-server</c> or <c>chat-server</c>
/// sub-mode): start it, learn its port, bracket the measured window with "start"/"stop" (see
/// <see cref="ServerControl"/>). Every wait is bounded; Dispose kills a child that has not exited,
/// so no failure path leaves a server behind.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly string _name;

    private ServerProcess(Process process, string name, int port)
    {
        _process = process;
        _name = name;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's process id (for counting its system calls from outside).</summary>
    public int ProcessId => _process.Id;

    /// <summary>CPU time the server has used so far (user and system), read from outside.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts <c>&lt;mode&gt; --kind &lt;kind&gt;</c> and waits for it to say where it listens.</summary>
    public static async Task<ServerProcess> StartAsync(string mode, string kind, bool pin, TimeSpan maxLifetime)
    {
        var psi = SelfProcess.StartInfo(
            [mode, "--kind", kind, "--port", "0", "--max-seconds", ((int)maxLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture)],
            pin ? SelfProcess.ServerCpu.ToString(CultureInfo.InvariantCulture) : null);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true; // stderr is inherited: server errors show up in the run's output
        psi.Environment.Remove(SelfProcess.GeneratorMarker);
        psi.Environment.Remove(SelfProcess.InlineCompletions);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start the {kind} server process.");
        try
        {
            string line = await ReadLineAsync(process, kind, "its port");
            return new ServerProcess(process, kind, ParsePort(line) ?? throw new InvalidOperationException($"The {kind} server said '{line}', expected its port."));
        }
        catch
        {
            SelfProcess.KillQuietly(process);
            throw;
        }
    }

    /// <summary>
    /// The port in a server's first line: "port N" (the benchmark's own servers) or
    /// "NAME listening on ADDRESS:N", the line every sample server prints for scripts.
    /// </summary>
    private static int? ParsePort(string line)
    {
        if (line.StartsWith("port ", StringComparison.Ordinal)) return int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture);
        int at = line.IndexOf(" listening on ", StringComparison.Ordinal);
        return at >= 0 && IPEndPoint.TryParse(line.AsSpan(at + " listening on ".Length), out var endpoint) ? endpoint.Port : null;
    }

    public async Task StartWindowAsync()
    {
        await SendAsync("start");
        string reply = await ReadLineAsync(_process, _name, "\"started\"");
        if (reply != "started") throw new InvalidOperationException($"The server answered '{reply}' to start.");
    }

    public async Task<ServerStats> StopWindowAsync()
    {
        await SendAsync("stop");
        return ServerStats.Parse(await ReadLineAsync(_process, _name, "the window's numbers"));
    }

    /// <summary>The server's managed heap (after a full GC) once <paramref name="count"/> connections are open.</summary>
    public async Task<long> HeapWithConnectionsAsync(int count)
    {
        await SendAsync(string.Create(CultureInfo.InvariantCulture, $"conns {count}"));
        string reply = await ReadLineAsync(_process, _name, "its heap size");
        return reply.StartsWith("mem ", StringComparison.Ordinal)
            ? long.Parse(reply.AsSpan(4), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"The server answered '{reply}' when asked for {count} connections.");
    }

    /// <summary>Asks the server to exit and waits briefly; a server that fails to exit cleanly fails the run.</summary>
    public async Task ExitAsync()
    {
        await SendAsync("exit");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        if (_process.ExitCode != 0) throw new InvalidOperationException($"The {_name} server exited with code {_process.ExitCode}.");
    }

    private async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    private static async Task<string> ReadLineAsync(Process process, string name, string what)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            return await process.StandardOutput.ReadLineAsync(timeout.Token)
                   ?? throw new InvalidOperationException($"The {name} server exited before sending {what}.");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The {name} server did not send {what} within {ReplyTimeout.TotalSeconds} s.");
        }
    }

    public void Dispose()
    {
        SelfProcess.KillQuietly(_process);
        _process.Dispose();
    }
}
