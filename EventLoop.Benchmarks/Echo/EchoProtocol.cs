using EventLoop.Net;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// Server 2: callbacks, no tasks. Writes back what arrives; while the transport's write buffer is
/// above its high-water mark it stops reading (asyncio's flow control), so a client that does
/// not read cannot make the server buffer without bound — the same guarantee DrainAsync gives
/// the streams server.
/// </summary>
internal sealed class EchoProtocol : IProtocol
{
    private ITransport? _transport;

    public void ConnectionMade(ITransport transport)
    {
        _transport = transport;
        EchoConnections.Opened();
    }

    public void DataReceived(ReadOnlySpan<byte> data) => _transport!.Write(data);

    public void ConnectionLost(Exception? error)
    {
        _transport = null;
        EchoConnections.Closed();
    }

    public void PauseWriting() => _transport?.PauseReading();

    public void ResumeWriting() => _transport?.ResumeReading();
}
