namespace EventLoop.Net;

/// <summary>
/// A growable byte queue on pooled arrays (<see cref="SmallBufferPool"/>): append at the end,
/// consume from the front. The array goes back to the pool whenever the buffer empties, so an
/// idle connection holds no buffer at all and a busy one reuses the same few arrays.
/// </summary>
internal sealed class ByteBuffer
{
    private byte[]? _array;
    private int _start;
    private int _end;

    public int Count => _end - _start;

    public bool IsEmpty => _end == _start;

    public ReadOnlySpan<byte> Span => _array is null ? default : _array.AsSpan(_start, Count);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        EnsureRoom(data.Length);
        data.CopyTo(_array.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Puts <paramref name="data"/> back in front of what is buffered (a cancelled read returning what it took).</summary>
    public void Prepend(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_array is not null && _start >= data.Length)
        {
            _start -= data.Length;
            data.CopyTo(_array.AsSpan(_start));
            return;
        }
        var combined = SmallBufferPool.Rent(Count + data.Length);
        data.CopyTo(combined);
        Span.CopyTo(combined.AsSpan(data.Length));
        int count = Count + data.Length;
        if (_array is not null) SmallBufferPool.Return(_array);
        _array = combined;
        _start = 0;
        _end = count;
    }

    public void Consume(int count)
    {
        if ((uint)count > (uint)Count) throw new ArgumentOutOfRangeException(nameof(count));
        _start += count;
        if (_start == _end) Clear();
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length bytes out and consumes them.</summary>
    public int Read(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, Count);
        Span[..n].CopyTo(destination);
        Consume(n);
        return n;
    }

    public void Clear()
    {
        if (_array is not null) SmallBufferPool.Return(_array);
        _array = null;
        _start = _end = 0;
    }

    private void EnsureRoom(int extra)
    {
        if (_array is null)
        {
            _array = SmallBufferPool.Rent(extra);
            return;
        }
        if (_array.Length - _end >= extra) return;
        int needed = Count + extra;
        if (needed <= _array.Length && _start > 0)
        {
            // Slide the live bytes to the front instead of growing.
            Span.CopyTo(_array);
            _end = Count;
            _start = 0;
            return;
        }
        var bigger = SmallBufferPool.Rent(Math.Max(needed, _array.Length * 2));
        Span.CopyTo(bigger);
        SmallBufferPool.Return(_array);
        _end = Count;
        _start = 0;
        _array = bigger;
    }
}
