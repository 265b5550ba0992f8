using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Echo;

/// <summary>
/// Seed 003's asyncore echo server, on <see cref="Dispatcher"/>: the style before asyncio, kept
/// to compare with <c>echo-protocol</c> (callbacks with a transport) and <c>echo</c> (straight-line).
/// </summary>
public static class EchoDispatcherSample
{
    /// <summary>Echoes what it receives (asyncore's <c>dispatcher_with_send</c> shape, with flow control).</summary>
    public sealed class EchoHandler(Loop loop, Socket socket, DispatcherMap map, ILogger log) : Dispatcher(loop, socket, map, log)
    {
        // Received bytes wait here until sent. Reading stops while it is full, so a client that
        // sends without reading costs the server at most this much.
        private readonly byte[] _pending = new byte[64 * 1024];
        private int _start, _end;
        private bool _peerFinished;

        /// <inheritdoc />
        public override bool Readable() => !_peerFinished && _end < _pending.Length;

        /// <inheritdoc />
        public override bool Writable() => _end > _start;

        /// <inheritdoc />
        protected override void HandleRead()
        {
            _end += Receive(_pending.AsSpan(_end));
            if (!IsClosed && Writable()) HandleWrite(); // try to send at once, as dispatcher_with_send does
        }

        /// <inheritdoc />
        protected override void HandleWrite()
        {
            _start += Send(_pending.AsSpan(_start, _end - _start));
            if (_start == _end) _start = _end = 0; // all sent: room for a full read again
            if (_peerFinished && _start == _end) Close();
        }

        /// <summary>The client finished sending: close once what it sent has been echoed.</summary>
        protected override void HandleClose()
        {
            _peerFinished = true;
            if (_start == _end) Close();
        }
    }

    /// <summary>The listening dispatcher: one <see cref="EchoHandler"/> per accepted connection.</summary>
    public sealed class EchoServer : Dispatcher
    {
        /// <summary>Binds and listens on <paramref name="endpoint"/>.</summary>
        public EchoServer(Loop loop, EndPoint endpoint, DispatcherMap map, ILogger log)
            : base(loop, new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp), map, log)
        {
            Socket.Bind(endpoint);
            Listen(100);
        }

        /// <summary>Where it listens.</summary>
        public EndPoint LocalEndPoint => Socket.LocalEndPoint!;

        /// <inheritdoc />
        public override bool Writable() => false;

        /// <inheritdoc />
        protected override void HandleAccept()
        {
            if (Accept() is not { } client) return;
            client.NoDelay = true;
            new EchoHandler(Loop, client, Map, Log).Start();
        }
    }

    /// <summary>Starts the server and serves until cancelled; then closes every dispatcher.</summary>
    public static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, EndPoint endpoint)
    {
        var log = logging.CreateLogger("echo-dispatcher");
        var map = new DispatcherMap();
        var server = new EchoServer(loop, endpoint, map, log);
        server.Start();
        ServerLifetime.Announce("echo-dispatcher", server.LocalEndPoint, log);
        try
        {
            await loop.Delay(Timeout.InfiniteTimeSpan);
        }
        finally
        {
            log.LogInformation("echo-dispatcher shutting down");
            map.CloseAll();
        }
    }

    /// <summary>The <c>echo-dispatcher</c> sub-command.</summary>
    public static System.CommandLine.Command CreateCommand()
    {
        var command = new ServerCommand("echo-dispatcher", $"Echo server as an asyncore-style dispatcher (default port {EchoSample.DefaultPort})", EchoSample.DefaultPort);
        command.Command.SetAction(parsed => SampleRunner.Run((loop, logging) => RunAsync(loop, logging, command.EndPoint(parsed))));
        return command.Command;
    }
}
