using System.Net;
using EventLoop.Net;

namespace EventLoop.Benchmarks.Echo;

/// <summary>The loop servers (streams, protocol, socket awaits; on either selector): a <see cref="Loop"/> on a thread of its own, serving until disposed.</summary>
internal sealed class LoopEchoServer : IEchoServer
{
    private readonly Thread _thread;
    private Loop? _loop;

    public LoopEchoServer(ServerKind kind, int port)
    {
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _thread = new Thread(() => Serve(kind, new IPEndPoint(IPAddress.Loopback, port), started)) { Name = "echo loop", IsBackground = true };
        _thread.Start();
        Port = started.Task.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
    }

    public int Port { get; }

    private void Serve(ServerKind kind, EndPoint endpoint, TaskCompletionSource<int> started)
    {
        try
        {
            using var loop = new Loop(new LoopOptions { Selector = kind.UsesSocketSelect() ? new SocketSelectSelector() : DefaultSelector.Create() });
            var stopListening = Listen(loop, kind, endpoint, out int port);
            Volatile.Write(ref _loop, loop);
            started.SetResult(port);
            try
            {
                loop.RunForever();
            }
            finally
            {
                stopListening();
            }
        }
        catch (Exception e)
        {
            if (!started.TrySetException(e)) Console.Error.WriteLine($"echo loop failed: {e}");
        }
    }

    /// <summary>Starts the kind's server; calling the result stops it.</summary>
    private static Action Listen(Loop loop, ServerKind kind, EndPoint endpoint, out int port)
    {
        if (kind == ServerKind.Sockets)
        {
            var listener = ServerSocket.Listen(endpoint);
            port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            var accepting = loop.Spawn(() => SocketsEcho.AcceptForever(loop, listener));
            return () =>
            {
                accepting.Cancel();
                listener.Dispose();
            };
        }
        var server = loop.RunUntilComplete(() => kind.IsStreams()
            ? loop.StartServerAsync(StreamsEcho.Handle, endpoint)
            : loop.CreateServerAsync(() => new EchoProtocol(), endpoint));
        port = ((IPEndPoint)server.LocalEndPoint).Port;
        return server.Close;
    }

    public void Dispose()
    {
        Volatile.Read(ref _loop)?.Stop(); // thread-safe: wakes the loop's select
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}
