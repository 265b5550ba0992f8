namespace EventLoop.Net;

public sealed partial class Connection
{
    private static readonly Action<object?> RetryReadCallback = static state => ((Connection)state!).TryCompletePendingRead();

    private enum ReadKind : byte { None, Raw, Line, LineInto, Until, UntilInto, Exactly, ExactlyInto }

    // The one pending read: what it asks for. Completed by TryCompletePendingRead, which runs when
    // the read starts and again whenever data, the end of stream or the loss arrives.
    private ReadKind _pending;
    private Memory<byte> _destination;      // Raw, LineInto, UntilInto, Exactly* (Exactly: the result array)
    private ReadOnlyMemory<byte> _delimiter; // Line*, Until*
    private int _searchFrom;                // where the delimiter search resumes
    private int _filled;                    // Exactly*: bytes already moved into _destination
    private bool _readingToEnd;
    private int _syncReads;                 // reads completed in a row without going through the loop

    // An overlong piece is dropped through its delimiter, also the part still to come.
    private bool _skipping;
    private ReadOnlyMemory<byte> _skipDelimiter;

    private ReadOperation<int>? _intRead;
    private ReadOperation<string?>? _lineRead;
    private ReadOperation<byte[]>? _bytesRead;

    private ReadOperation<int> IntOperation => _intRead ??= NewOperation<int>("Connection.ReadAsync");

    private ReadOperation<byte[]> BytesOperation => _bytesRead ??= NewOperation<byte[]>("Connection.ReadUntilAsync/ReadExactlyAsync");

    private ReadOperation<T> NewOperation<T>(string description) => new(_loop, OnReadCancelled, description);

    /// <summary>What the transport may hand over in one read: the room below 2 × Limit, plus what goes straight into a waiting buffer.</summary>
    private int RemainingReadAhead
    {
        get
        {
            int room = 2 * Limit - _buffer.Count;
            if (_pending == ReadKind.Raw && _buffer.IsEmpty) room += _destination.Length;
            else if (_pending is ReadKind.Exactly or ReadKind.ExactlyInto) room += _destination.Length - _filled;
            return room;
        }
    }

    private LoopTask<T> Start<T>(ReadOperation<T> operation)
    {
        var task = operation.ArmTask();
        Attempt();
        return task;
    }

    private ValueTask<int> StartValue(ReadOperation<int> operation)
    {
        var task = operation.ArmValueTask();
        Attempt();
        return task;
    }

    /// <summary>
    /// The first try of a read that just started. Fairness: after <see cref="SyncReadBudget"/>
    /// reads in a row completed from buffered data, this one is completed from the loop instead,
    /// so the handler yields once and other connections' callbacks run first.
    /// </summary>
    private void Attempt()
    {
        if (_syncReads >= SyncReadBudget)
        {
            _syncReads = 0;
            _loop.CallSoon(RetryReadCallback, this);
            return;
        }
        TryCompletePendingRead();
        if (_pending == ReadKind.None) _syncReads++;
        else _syncReads = 0;
    }

    private void OnData(ReadOnlySpan<byte> data)
    {
        if (_pending == ReadKind.Raw && _buffer.IsEmpty && !_destination.IsEmpty)
        {
            // Zero copy for the common case: straight into the waiting reader's buffer.
            int n = Math.Min(data.Length, _destination.Length);
            data[..n].CopyTo(_destination.Span);
            _buffer.Append(data[n..]);
            Finish(IntOperation, n);
        }
        else
        {
            _buffer.Append(data);
            TryCompletePendingRead();
        }
        if (_buffer.Count >= 2 * Limit) Transport.PauseReading();
    }

    private void TryCompletePendingRead()
    {
        switch (_pending)
        {
            case ReadKind.Raw:
                TryRaw();
                break;
            case ReadKind.Line or ReadKind.LineInto or ReadKind.Until or ReadKind.UntilInto:
                TryDelimited();
                break;
            case ReadKind.Exactly or ReadKind.ExactlyInto:
                TryExactly();
                break;
        }
    }

    private void TryRaw()
    {
        if (!_buffer.IsEmpty)
        {
            int n = _destination.IsEmpty ? 0 : _buffer.Read(_destination.Span);
            MaybeResumeReading();
            Finish(IntOperation, n);
        }
        else if (_eof)
        {
            if (LostWithError) Fail(IntOperation, NewConnectionLostException());
            else Finish(IntOperation, 0);
        }
    }

    /// <summary>Moves what is buffered into the destination; done once it is full.</summary>
    private void TryExactly()
    {
        int n = _buffer.Read(_destination.Span[_filled..]);
        _filled += n;
        if (n > 0) MaybeResumeReading();
        bool full = _filled == _destination.Length;
        if (!full && !_eof) return;
        if (!full)
        {
            var error = new IncompleteReadException(_destination[.._filled].ToArray(), _destination.Length);
            if (_pending == ReadKind.Exactly) Fail(BytesOperation, error);
            else Fail(IntOperation, error);
        }
        else if (_pending == ReadKind.Exactly)
        {
            var array = ExactlyResult();
            Finish(BytesOperation, array);
        }
        else
        {
            Finish(IntOperation, _filled);
        }
    }

    private byte[] ExactlyResult() =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray((ReadOnlyMemory<byte>)_destination, out var segment) ? segment.Array! : _destination.ToArray();

    private void Finish<T>(ReadOperation<T> operation, T result)
    {
        ClearPending();
        operation.Complete(result);
    }

    private void Fail<T>(ReadOperation<T> operation, Exception error)
    {
        ClearPending();
        operation.Fail(error);
    }

    private void ClearPending()
    {
        _pending = ReadKind.None;
        _destination = default;
        _delimiter = default;
    }

    /// <summary>A pending read was cancelled: nothing is lost (an exact read puts back what it took).</summary>
    private void OnReadCancelled()
    {
        if (_pending is ReadKind.Exactly or ReadKind.ExactlyInto && _filled > 0) _buffer.Prepend(_destination.Span[.._filled]);
        ClearPending();
        MaybeResumeReading();
    }

    private bool LostWithError => _lost && _error is not null;

    private byte[] Take(int count)
    {
        var bytes = _buffer.Span[..count].ToArray();
        _buffer.Consume(count);
        MaybeResumeReading();
        return bytes;
    }

    private void Consume(int count)
    {
        _buffer.Consume(count);
        MaybeResumeReading();
    }

    private void MaybeResumeReading()
    {
        if (_transport is { IsReadingPaused: true } transport && _buffer.Count <= Limit && !_readingPausedByUser) transport.ResumeReading();
    }
}
