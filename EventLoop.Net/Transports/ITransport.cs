using System.Net;

namespace EventLoop.Net;

/// <summary>
/// One end of a byte stream, driven by the loop (asyncio's Transport). Writes never block: they
/// are buffered and sent together at the end of the loop iteration, and what the kernel does not
/// take then is sent when the socket is writable again. Loop thread only: every method checks the
/// thread first and throws <see cref="InvalidOperationException"/> elsewhere.
/// </summary>
public interface ITransport
{
    /// <summary>The default high-water mark of the write buffer: 64 KiB, as asyncio.</summary>
    const int DefaultHighWaterMark = 64 * 1024;

    /// <summary>The default low-water mark: a quarter of the high one, 16 KiB.</summary>
    const int DefaultLowWaterMark = DefaultHighWaterMark / 4;

    /// <summary>
    /// Queues <paramref name="data"/> (copied) to be sent at the end of this iteration, in one send
    /// with everything else written meanwhile. Once the transport is closing or lost, writes are
    /// dropped silently (<see cref="IsClosing"/> tells).
    /// </summary>
    /// <exception cref="InvalidOperationException">After <see cref="WriteEof"/>.</exception>
    void Write(ReadOnlySpan<byte> data);

    /// <summary>Closes our sending side once everything written before is sent (half-close); reading goes on.</summary>
    void WriteEof();

    /// <summary>Stops reading and closes once buffered data is sent; <see cref="IProtocol.ConnectionLost"/> follows with null.</summary>
    void Close();

    /// <summary>Closes at once, dropping buffered data — including what was written earlier in this iteration — and resetting a TCP connection.</summary>
    void Abort();

    /// <summary>Stops calling <see cref="IProtocol.DataReceived"/> until <see cref="ResumeReading"/>; the kernel buffers meanwhile.</summary>
    void PauseReading();

    /// <summary>Starts reading again after <see cref="PauseReading"/>.</summary>
    void ResumeReading();

    /// <summary>True unless reading is paused or the transport is closing.</summary>
    bool IsReading { get; }

    /// <summary>
    /// Sets when <see cref="IProtocol.PauseWriting"/> (buffer above <paramref name="high"/>) and
    /// <see cref="IProtocol.ResumeWriting"/> (back to <paramref name="low"/> or below) are called.
    /// Only one given: the other follows asyncio's rule (low = high / 4, high = 4 × low).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not high ≥ low ≥ 0.</exception>
    void SetWriteBufferLimits(int? high = null, int? low = null);

    /// <summary>Bytes written but not yet handed to the kernel.</summary>
    int WriteBufferSize { get; }

    /// <summary>True once <see cref="Close"/> or <see cref="Abort"/> was called or the connection was lost.</summary>
    bool IsClosing { get; }

    /// <summary>The peer's address, if known.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>Our address, if known.</summary>
    EndPoint? LocalEndPoint { get; }
}
