using System.Diagnostics;
using System.Globalization;
using System.Net;
using EventLoop.Benchmarks.Load;
using EventLoop.Net;
using EventLoop.Samples.Gateway;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// The gateway sample on a loop thread of its own, in front of a streams echo server that runs in
/// a child process on the other CPUs: the server process's CPU time is the gateway's alone, so CPU
/// per message compares straight with the direct streams echo's.
/// </summary>
internal sealed class GatewayEchoServer : IEchoServer
{
    private readonly Process _backend;
    private readonly Thread _thread;
    private Loop? _loop;

    public GatewayEchoServer(int port)
    {
        var psi = SelfProcess.StartInfo(["echo-server", "--kind", "streams", "--port", "0"], OtherCpus());
        psi.RedirectStandardInput = true; // the backend exits when this process closes its input
        psi.RedirectStandardOutput = true;
        _backend = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the backend echo server.");
        string line = _backend.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The backend echo server exited.");
        var backend = new IPEndPoint(IPAddress.Loopback, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));

        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _thread = new Thread(() => Serve(port, backend, started)) { Name = "gateway loop", IsBackground = true };
        _thread.Start();
        Port = started.Task.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
    }

    public int Port { get; }

    private void Serve(int port, EndPoint backend, TaskCompletionSource<int> started)
    {
        try
        {
            using var loop = new Loop();
            var gateway = new Gateway(loop, [backend], NullLogger.Instance);
            var server = loop.RunUntilComplete(() => loop.StartServerAsync(async client =>
            {
                EchoConnections.Opened();
                try
                {
                    await gateway.HandleAsync(client);
                }
                finally
                {
                    EchoConnections.Closed();
                }
            }, new IPEndPoint(IPAddress.Loopback, port)));
            Volatile.Write(ref _loop, loop);
            started.SetResult(((IPEndPoint)server.LocalEndPoint).Port);
            loop.RunForever();
            server.Close();
        }
        catch (Exception e)
        {
            if (!started.TrySetException(e)) Console.Error.WriteLine($"gateway loop failed: {e}");
        }
    }

    /// <summary>Every online CPU but the servers' one ("1-1" on two cores), or null where taskset cannot pin.</summary>
    private static string? OtherCpus()
    {
        const string online = "/sys/devices/system/cpu/online";
        if (!File.Exists(online) || !File.Exists("/usr/bin/taskset")) return null;
        var text = File.ReadAllText(online).Trim(); // "0-1"
        int last = int.Parse(text.AsSpan(text.LastIndexOfAny(['-', ',']) + 1), CultureInfo.InvariantCulture);
        return last >= 1 ? $"1-{last}" : null;
    }

    public void Dispose()
    {
        Volatile.Read(ref _loop)?.Stop();
        _thread.Join(TimeSpan.FromSeconds(5));
        _backend.StandardInput.Close();
        if (!_backend.WaitForExit(5000)) SelfProcess.KillQuietly(_backend);
        _backend.Dispose();
    }
}
