using System.Buffers;

namespace EventLoop.Samples.Http;

/// <summary>
/// A growable byte buffer on <see cref="ArrayPool{T}.Shared"/>: a connection's response bytes or
/// a request body. It holds an array only between first use and <see cref="Release"/>, so an idle
/// connection holds none, and a busy one reuses the same array request after request.
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>
{
    private readonly int _initialSize;
    private byte[]? _array;

    public PooledBuffer(int initialSize) => _initialSize = initialSize;

    /// <summary>Bytes written since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>What was written.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Count);

    /// <summary>What was written, valid until the next write, <see cref="Clear"/> or <see cref="Release"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, Count);

    /// <summary>Appends <paramref name="data"/>.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetSpan(data.Length));
        Count += data.Length;
    }

    /// <inheritdoc />
    public void Advance(int count) => Count += count;

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsMemory(Count);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsSpan(Count);
    }

    /// <summary>Forgets what was written; keeps the array.</summary>
    public void Clear() => Count = 0;

    /// <summary>Forgets what was written and gives the array back to the pool.</summary>
    public void Release()
    {
        Count = 0;
        if (_array is null) return;
        ArrayPool<byte>.Shared.Return(_array);
        _array = null;
    }

    private void EnsureFree(int sizeHint)
    {
        int needed = Count + Math.Max(sizeHint, 1);
        if (_array is not null && needed <= _array.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(_initialSize, (_array?.Length ?? 0) * 2)));
        if (_array is not null)
        {
            _array.AsSpan(0, Count).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_array);
        }
        _array = bigger;
    }
}
