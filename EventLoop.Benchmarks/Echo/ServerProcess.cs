using System.Diagnostics;
using System.Globalization;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// The generator's handle on one <c>echo-server</c> child: start it, learn its port, bracket the
/// measured window with "start"/"stop". Every wait is bounded; Dispose kills a child that has not
/// exited, so no failure path leaves a server behind.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static Task<ServerProcess> StartAsync(ServerKind kind, bool pin, TimeSpan maxLifetime) =>
        StartAsync(["echo-server", "--kind", kind.Name(), "--port", "0", "--max-seconds", ((int)maxLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture)], kind.Name(), pin);

    /// <summary>Starts this executable in a server sub-mode (<paramref name="modeArgs"/>) that speaks the same line protocol.</summary>
    public static async Task<ServerProcess> StartAsync(string[] modeArgs, string name, bool pin)
    {
        var psi = SelfProcess.StartInfo(modeArgs, pin ? SelfProcess.ServerCpu.ToString(CultureInfo.InvariantCulture) : null);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true; // stderr is inherited: server errors show up in the run's output
        psi.Environment.Remove(SelfProcess.GeneratorMarker);
        psi.Environment.Remove(SelfProcess.InlineCompletions);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the echo server process.");
        try
        {
            string line = await ReadLineAsync(process, "its port");
            if (!line.StartsWith("port ", StringComparison.Ordinal)) throw new InvalidOperationException($"The {name} server said '{line}', expected its port.");
            return new ServerProcess(process, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
        }
        catch
        {
            SelfProcess.KillQuietly(process);
            throw;
        }
    }

    public async Task StartWindowAsync()
    {
        await SendAsync("start");
        string reply = await ReadLineAsync(_process, "\"started\"");
        if (reply != "started") throw new InvalidOperationException($"The server answered '{reply}' to start.");
    }

    public async Task<ServerStats> StopWindowAsync()
    {
        await SendAsync("stop");
        return ServerStats.Parse(await ReadLineAsync(_process, "the window's numbers"));
    }

    /// <summary>The server's managed heap (after a full GC) once <paramref name="count"/> connections are open.</summary>
    public async Task<long> HeapWithConnectionsAsync(int count)
    {
        await SendAsync(string.Create(CultureInfo.InvariantCulture, $"conns {count}"));
        string reply = await ReadLineAsync(_process, "its heap size");
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
        if (_process.ExitCode != 0) throw new InvalidOperationException($"The echo server exited with code {_process.ExitCode}.");
    }

    private async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    private static async Task<string> ReadLineAsync(Process process, string what)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            return await process.StandardOutput.ReadLineAsync(timeout.Token)
                   ?? throw new InvalidOperationException($"The echo server exited before sending {what}.");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The echo server did not send {what} within {ReplyTimeout.TotalSeconds} s.");
        }
    }

    public void Dispose()
    {
        SelfProcess.KillQuietly(_process);
        _process.Dispose();
    }
}
