using System.Text;

namespace EventLoop.Net;

public sealed partial class Connection
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private bool _delimitedReadInProgress;
    private byte[]? _skipThroughDelimiter;

    /// <summary>
    /// Reads up to <paramref name="buffer"/>.Length bytes, waiting until at least one is there;
    /// 0 means the peer has finished sending. Bytes arriving while the read waits are copied
    /// straight into <paramref name="buffer"/>. Await the result once (like Stream.ReadAsync): the
    /// operation behind it is reused, so a read that waits allocates nothing.
    /// <para>A zero-byte read (an empty <paramref name="buffer"/>) waits until data is available, or
    /// the stream ends, without consuming anything, and returns 0: the .NET idiom (Kestrel's) for
    /// holding no buffer while a connection is idle — rent one after it returns.</para>
    /// </summary>
    /// <exception cref="IOException">The connection failed (reset, for example) and nothing is left to read.</exception>
    public ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        ThrowIfReadInProgress();
        _skipThroughDelimiter = null; // raw reads see every byte, even the rest of an overlong line
        if (!_buffer.IsEmpty)
        {
            int n = _buffer.Read(buffer.Span);
            MaybeResumeReading();
            return new ValueTask<int>(n);
        }
        if (_eof) return _error is null || !_lost ? new ValueTask<int>(0) : ValueTask.FromException<int>(ConnectionLostException());
        ResumeReadingToWait();
        return _read.Arm(buffer);
    }

    /// <summary>
    /// Reads one line, UTF-8, without its "\n" (a "\r" before it is dropped too). A last line
    /// without "\n" is returned as it is; null means the stream ended.
    /// </summary>
    /// <exception cref="LimitOverrunException">The line is longer than <see cref="Limit"/>; it is discarded and the next read returns the next line.</exception>
    public async LoopTask<string?> ReadLineAsync()
    {
        var line = await ReadDelimitedAsync(NewLine, endOfStreamReturnsPartial: true);
        if (line is null) return null;
        int length = line.Length;
        if (length > 0 && line[length - 1] == (byte)'\n') length--;
        if (length > 0 && line[length - 1] == (byte)'\r') length--;
        return Encoding.UTF8.GetString(line, 0, length);
    }

    /// <summary>Reads through the next <paramref name="delimiter"/>, returning the bytes with the delimiter.</summary>
    /// <exception cref="LimitOverrunException">More than <see cref="Limit"/> bytes came before the delimiter; they are discarded up to and including it.</exception>
    /// <exception cref="IncompleteReadException">The stream ended first; it carries what arrived.</exception>
    public async LoopTask<byte[]> ReadUntilAsync(ReadOnlyMemory<byte> delimiter)
    {
        if (delimiter.IsEmpty) throw new ArgumentException("The delimiter cannot be empty.", nameof(delimiter));
        return (await ReadDelimitedAsync(delimiter.ToArray(), endOfStreamReturnsPartial: false))!;
    }

    /// <summary>
    /// Reads everything until the peer finishes sending, as UTF-8 text. Not bounded by
    /// <see cref="Limit"/> unless <paramref name="maxBytes"/> is given (as asyncio's <c>read(-1)</c>).
    /// </summary>
    /// <exception cref="LimitOverrunException">More than <paramref name="maxBytes"/> arrived.</exception>
    public async LoopTask<string> ReadToEndAsync(int maxBytes = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        BeginDelimitedRead();
        try
        {
            _skipThroughDelimiter = null;
            var collected = new MemoryStream();
            while (true)
            {
                if (!_buffer.IsEmpty)
                {
                    if (collected.Length + _buffer.Count > maxBytes) throw new LimitOverrunException(maxBytes);
                    collected.Write(_buffer.Span);
                    _buffer.Clear();
                    MaybeResumeReading();
                }
                if (_eof)
                {
                    if (_lost && _error is not null) throw ConnectionLostException();
                    return Encoding.UTF8.GetString(collected.GetBuffer(), 0, (int)collected.Length);
                }
                await WaitForDataAsync();
            }
        }
        finally
        {
            _delimitedReadInProgress = false;
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    /// <exception cref="IncompleteReadException">The stream ended first; it carries what arrived.</exception>
    public async LoopTask<byte[]> ReadExactlyAsync(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        BeginDelimitedRead();
        try
        {
            _skipThroughDelimiter = null;
            while (_buffer.Count < count)
            {
                if (_eof) throw new IncompleteReadException(TakeAll(), count);
                await WaitForDataAsync();
            }
            return Take(count);
        }
        finally
        {
            _delimitedReadInProgress = false;
        }
    }

    private async LoopTask<byte[]?> ReadDelimitedAsync(byte[] delimiter, bool endOfStreamReturnsPartial)
    {
        BeginDelimitedRead();
        try
        {
            int searchFrom = 0;
            while (true)
            {
                if (_skipThroughDelimiter is not null)
                {
                    SkipOverlongRemainder();
                    searchFrom = 0;
                }
                if (_skipThroughDelimiter is null)
                {
                    int found = _buffer.Span[searchFrom..].IndexOf(delimiter);
                    if (found >= 0)
                    {
                        int contentLength = searchFrom + found;
                        if (contentLength > Limit)
                        {
                            _buffer.Consume(contentLength + delimiter.Length);
                            MaybeResumeReading();
                            throw new LimitOverrunException(Limit);
                        }
                        return Take(contentLength + delimiter.Length);
                    }
                    if (_buffer.Count > Limit)
                    {
                        // Never buffer an overlong line: drop it now and the rest of it as it comes.
                        _buffer.Clear();
                        _skipThroughDelimiter = delimiter;
                        MaybeResumeReading();
                        throw new LimitOverrunException(Limit);
                    }
                    searchFrom = Math.Max(0, _buffer.Count - delimiter.Length + 1);
                }
                if (_eof)
                {
                    if (_lost && _error is not null && _buffer.IsEmpty) throw ConnectionLostException();
                    if (_buffer.IsEmpty) return endOfStreamReturnsPartial ? null : throw new IncompleteReadException([], null);
                    return endOfStreamReturnsPartial ? TakeAll() : throw new IncompleteReadException(TakeAll(), null);
                }
                await WaitForDataAsync();
            }
        }
        finally
        {
            _delimitedReadInProgress = false;
        }
    }

    private void SkipOverlongRemainder()
    {
        int found = _buffer.Span.IndexOf(_skipThroughDelimiter);
        if (found >= 0)
        {
            _buffer.Consume(found + _skipThroughDelimiter!.Length);
            _skipThroughDelimiter = null;
        }
        else
        {
            _buffer.Clear();
        }
        MaybeResumeReading();
    }

    private void BeginDelimitedRead()
    {
        ThrowIfReadInProgress();
        _delimitedReadInProgress = true;
    }

    private void ThrowIfReadInProgress()
    {
        _loop.CheckThread();
        if (_delimitedReadInProgress || _read.IsArmed)
            throw new InvalidOperationException("Another read is already waiting on this connection: only one read may be pending at a time.");
    }

    private LoopTask WaitForDataAsync()
    {
        ResumeReadingToWait();
        return _dataArrived.Arm();
    }

    private byte[] Take(int count)
    {
        var bytes = _buffer.Span[..count].ToArray();
        _buffer.Consume(count);
        MaybeResumeReading();
        return bytes;
    }

    private byte[] TakeAll() => Take(_buffer.Count);

    private void OnData(ReadOnlySpan<byte> data)
    {
        if (_read.IsArmed && _buffer.IsEmpty)
        {
            // Zero copy for the common case: straight into the waiting reader's buffer.
            int n = Math.Min(data.Length, _read.Destination.Length);
            data[..n].CopyTo(_read.Destination.Span);
            _buffer.Append(data[n..]);
            _read.Complete(n);
        }
        else
        {
            _buffer.Append(data);
        }
        _dataArrived.Fire();
        if (_buffer.Count > 2 * Limit && _transport is { IsReading: true } transport)
        {
            transport.PauseReading();
            _readingPausedByUs = true;
        }
    }

    private void WakeReaders()
    {
        if (_read.IsArmed)
        {
            if (_lost && _error is not null) _read.Fail(ConnectionLostException());
            else _read.Complete(0);
        }
        _dataArrived.Fire();
    }

    private void MaybeResumeReading()
    {
        if (_readingPausedByUs && _buffer.Count <= Limit) ResumeReadingNow();
    }

    /// <summary>A reader about to wait needs bytes: resume even above the mark, or ReadExactlyAsync beyond 2 × Limit would wait forever.</summary>
    private void ResumeReadingToWait()
    {
        if (_readingPausedByUs) ResumeReadingNow();
    }

    private void ResumeReadingNow()
    {
        _readingPausedByUs = false;
        _transport?.ResumeReading();
    }
}
