using System.Net;

namespace EventLoop.Net;

/// <summary>Callback-style logic of a UDP endpoint (asyncio's DatagramProtocol). Called on the loop thread.</summary>
public interface IDatagramProtocol
{
    /// <summary>The endpoint is ready; keep <paramref name="transport"/> to send.</summary>
    void ConnectionMade(IDatagramTransport transport);

    /// <summary>A datagram arrived from <paramref name="from"/>. The span is valid only during the call.</summary>
    void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from);

    /// <summary>A send or receive failed without closing the endpoint (an ICMP "port unreachable" on a connected endpoint, for example).</summary>
    void ErrorReceived(Exception error)
    {
    }

    /// <summary>The endpoint was closed: null for a normal close, else the error.</summary>
    void ConnectionLost(Exception? error)
    {
    }

    /// <summary>Datagrams queued because the socket was full went above the high-water mark (64 KiB): stop sending until <see cref="ResumeWriting"/>.</summary>
    void PauseWriting()
    {
    }

    /// <summary>The send queue drained to the low-water mark (16 KiB).</summary>
    void ResumeWriting()
    {
    }
}

/// <summary>A UDP socket driven by the loop. Loop thread only.</summary>
public interface IDatagramTransport
{
    /// <summary>
    /// Sends one datagram to <paramref name="remote"/> (or to the endpoint's connected peer when
    /// null). Never blocks: when the socket cannot take it now, it is queued.
    /// </summary>
    void SendTo(ReadOnlySpan<byte> data, EndPoint? remote = null);

    /// <summary>Closes after the queued datagrams are sent. Later sends are dropped silently.</summary>
    void Close();

    /// <summary>Closes at once, dropping queued datagrams.</summary>
    void Abort();

    /// <summary>Our address (with the port the system picked for port 0).</summary>
    EndPoint? LocalEndPoint { get; }

    /// <summary>The connected peer, if the endpoint was created with one.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>Bytes of datagrams queued and not sent yet.</summary>
    int WriteBufferSize { get; }
}
