using System.Buffers;
using System.Text;

namespace EventLoop.Net;

public sealed partial class Connection
{
    /// <summary>
    /// Queues <paramref name="data"/> (copied) to be sent at the end of this loop iteration, with
    /// everything else written to this connection meanwhile, in one send. Never blocks. Once the
    /// connection is closing or lost, writes are dropped silently (<see cref="IsClosing"/> tells;
    /// <see cref="DrainAsync"/> reports a lost connection).
    /// </summary>
    /// <exception cref="InvalidOperationException">After <see cref="ShutdownWrite"/>, or on a child's output stream.</exception>
    public void Write(ReadOnlySpan<byte> data) => Transport.Write(data);

    /// <summary>Sends <paramref name="line"/> as UTF-8 followed by "\n", as <see cref="Write"/> does.</summary>
    public void WriteLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int max = Encoding.UTF8.GetMaxByteCount(line.Length) + 1;
        byte[]? rented = null;
        Span<byte> bytes = max <= 1024 ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int n = Encoding.UTF8.GetBytes(line, bytes);
            bytes[n] = (byte)'\n';
            Transport.Write(bytes[..(n + 1)]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Bytes written and not yet handed to the kernel (or pipe).</summary>
    public int WriteBufferSize => _transport?.WriteBufferSize ?? 0;

    /// <summary>
    /// Sets the write buffer's water marks: <see cref="DrainAsync"/> waits while the buffer is above
    /// <paramref name="high"/> until it is back at <paramref name="low"/>. Only one given: the other
    /// follows asyncio's rule (low = high / 4, high = 4 × low). Default 64 KiB / 16 KiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not high ≥ low ≥ 0.</exception>
    public void SetWriteBufferLimits(int? high = null, int? low = null) => Transport.SetWriteBufferLimits(high, low);

    /// <summary>
    /// Returns at once while the write buffer is at or below its high-water mark; otherwise waits
    /// until it drains to the low-water mark. Any number of tasks may drain the same connection.
    /// </summary>
    /// <exception cref="IOException">The connection is lost.</exception>
    public LoopTask DrainAsync()
    {
        _loop.CheckThread();
        if (_lost) return LoopTask.FromException(NewConnectionLostException());
        if (!Transport.IsWritingPaused) return LoopTask.CompletedTask;
        return Waiter<bool>.Add(_loop, _drainWaiters, "Connection.DrainAsync");
    }

    /// <summary>Closes our sending side once everything written before is sent (half-close); reading goes on.</summary>
    public void ShutdownWrite() => Transport.WriteEof();

    /// <summary>Starts closing: stops reading, sends what is buffered, then closes. <see cref="WaitClosedAsync"/> tells when it is done.</summary>
    public void Close() => Transport.Close();

    /// <summary>Closes the connection after sending what is buffered, and completes when it is closed.</summary>
    public LoopTask CloseAsync()
    {
        Close();
        return WaitClosedAsync();
    }

    /// <summary>Closes at once, dropping unsent data (including what was written in this iteration); a TCP peer sees a reset.</summary>
    public void Abort() => Transport.Abort();

    /// <summary>
    /// Completes when the connection has closed, for whatever reason. Each call waits on its own:
    /// cancelling one wait never affects another.
    /// </summary>
    public LoopTask WaitClosedAsync()
    {
        _loop.CheckThread();
        if (_lost) return LoopTask.CompletedTask;
        return Waiter<bool>.Add(_loop, _closeWaiters, "Connection.WaitClosedAsync");
    }
}
