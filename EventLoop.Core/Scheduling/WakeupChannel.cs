using System.Net.Sockets;

namespace EventLoop;

/// <summary>
/// A connected pair of loopback sockets whose read end the loop always watches: writing one
/// byte wakes a loop blocked in select from any thread (asyncio's self-pipe). .NET has no
/// socketpair(), so the pair is made through a short-lived listener. It also keeps
/// Socket.Select from ever being called with empty lists, which it refuses.
/// </summary>
internal sealed class WakeupChannel : IDisposable
{
    private static readonly byte[] OneByte = [1];
    private readonly Socket _writer;
    private int _signalled;

    public WakeupChannel()
    {
        (_writer, Reader) = LoopbackSocketPair.Create();
        _writer.NoDelay = true;
    }

    /// <summary>The end the loop registers for reading.</summary>
    public Socket Reader { get; }

    /// <summary>
    /// Wakes the loop. Only the first call after the loop last drained writes a byte, so a burst
    /// of thread-safe calls costs one syscall. Safe from any thread, and after disposal.
    /// </summary>
    public void Signal()
    {
        if (Interlocked.Exchange(ref _signalled, 1) != 0) return;
        try
        {
            // A full socket buffer (WouldBlock) is fine: unread bytes already mean "wake up".
            _writer.Send(OneByte, SocketFlags.None, out _);
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone; there is nothing left to wake.
        }
    }

    /// <summary>
    /// Discards pending wake-up bytes, then re-arms <see cref="Signal"/>. The order matters: the
    /// flag is cleared only after the bytes are read, and the caller drains its inbox only
    /// after this returns, so work added after that drain always writes a fresh byte and the
    /// next select returns at once. (Clearing first could swallow the byte of a producer whose
    /// item arrives after the drain, and the loop would sleep on it.)
    /// </summary>
    public void Acknowledge()
    {
        Span<byte> sink = stackalloc byte[64];
        while (Reader.Receive(sink, SocketFlags.None, out var error) > 0 && error == SocketError.Success)
        {
        }
        Interlocked.Exchange(ref _signalled, 0);
    }

    public void Dispose()
    {
        _writer.Dispose();
        Reader.Dispose();
    }
}
