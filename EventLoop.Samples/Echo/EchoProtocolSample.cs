using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Echo;

/// <summary>The same echo server as callbacks (an <see cref="IProtocol"/>), to compare the two styles.</summary>
public static class EchoProtocolSample
{
    /// <summary>Echo as a protocol: whatever arrives is written straight back.</summary>
    public sealed class EchoProtocol : IProtocol
    {
        private ITransport? _transport;

        /// <inheritdoc />
        public void ConnectionMade(ITransport transport) => _transport = transport;

        /// <inheritdoc />
        public void DataReceived(ReadOnlySpan<byte> data)
        {
            _transport!.Write(data);
            // Backpressure without a drain: stop reading while the client is not reading.
            if (_transport.WriteBufferSize > ITransport.DefaultHighWaterMark) _transport.PauseReading();
        }

        /// <inheritdoc />
        public void ResumeWriting() => _transport!.ResumeReading();

        /// <inheritdoc />
        public void ConnectionLost(Exception? error)
        {
        }
    }

    /// <summary>Starts the server and serves until cancelled.</summary>
    public static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, System.Net.EndPoint endpoint, ServerOptions? options = null)
    {
        var server = await loop.CreateServerAsync(() => new EchoProtocol(), endpoint, options);
        await ServerLifetime.ServeUntilCancelledAsync(loop, server, logging.CreateLogger("echo-protocol"), "echo-protocol");
    }

    /// <summary>The <c>echo-protocol</c> sub-command.</summary>
    public static System.CommandLine.Command CreateCommand()
    {
        var command = new ServerCommand("echo-protocol", $"Echo server as callbacks (IProtocol) (default port {EchoSample.DefaultPort})", EchoSample.DefaultPort);
        command.Command.SetAction(parsed => SampleRunner.Run((loop, logging) => RunAsync(loop, logging, command.EndPoint(parsed), command.ServerOptions(parsed))));
        return command.Command;
    }
}
