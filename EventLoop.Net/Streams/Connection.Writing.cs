using System.Buffers;
using System.Text;

namespace EventLoop.Net;

public sealed partial class Connection
{
    /// <summary>Sends <paramref name="data"/>; what the kernel does not take at once is buffered. Never blocks.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="ShutdownWrite"/>.</exception>
    public void Write(ReadOnlySpan<byte> data) => Transport.Write(data);

    /// <summary>Sends <paramref name="line"/> as UTF-8 followed by "\n".</summary>
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

    /// <summary>
    /// Returns at once while the write buffer is below its high-water mark; otherwise waits until
    /// it drains to the low-water mark. Any number of tasks may drain the same connection.
    /// </summary>
    /// <exception cref="IOException">The connection is lost.</exception>
    public LoopTask DrainAsync()
    {
        _loop.CheckThread();
        if (_lost) return LoopTask.FromException(ConnectionLostException());
        if (!_writingPaused) return LoopTask.CompletedTask;
        var waiter = new DrainWaiter(_drainWaiters) { OwnerLoop = _loop };
        _drainWaiters.Add(waiter);
        return waiter.Task;
    }

    /// <summary>Closes our sending side once buffered data is out (half-close); reading goes on.</summary>
    public void ShutdownWrite() => Transport.WriteEof();

    /// <summary>Closes the connection after sending what is buffered, and completes when it is closed.</summary>
    public LoopTask CloseAsync()
    {
        _transport?.Close();
        return WaitClosedAsync();
    }

    /// <summary>Closes at once, dropping unsent data.</summary>
    public void Abort() => _transport?.Abort();

    /// <summary>Completes when the connection has closed, for whatever reason.</summary>
    public LoopTask WaitClosedAsync()
    {
        _closed ??= _loop.CreateFuture<bool>();
        if (_lost) _closed.TrySetResult(true);
        return _closed.Task;
    }

    private void ReleaseDrainWaiters()
    {
        _writingPaused = false;
        if (_drainWaiters.Count == 0) return;
        var waiters = _drainWaiters.ToArray();
        _drainWaiters.Clear();
        foreach (var waiter in waiters) waiter.Release();
    }
}
