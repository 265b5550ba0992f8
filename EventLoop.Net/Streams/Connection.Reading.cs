using System.Buffers;
using System.Text;

namespace EventLoop.Net;

public sealed partial class Connection
{
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    /// <summary>
    /// Reads up to <paramref name="buffer"/>.Length bytes, waiting until at least one is there;
    /// 0 means the peer has finished sending. Bytes arriving while the read waits are copied
    /// straight into <paramref name="buffer"/>. Await the result once (like Stream.ReadAsync): the
    /// operation behind it is reused, so a read allocates nothing, and a second await throws
    /// <see cref="InvalidOperationException"/>.
    /// <para>A zero-byte read (an empty <paramref name="buffer"/>) waits until data is available, or
    /// the stream ends, without consuming anything, and returns 0: the .NET idiom (Kestrel's) for
    /// holding no buffer while a connection is idle — rent one after it returns.</para>
    /// </summary>
    /// <exception cref="IOException">The connection failed (reset, for example) and nothing is left to read.</exception>
    public ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        BeginRead();
        return ReadRaw(buffer);
    }

    /// <summary>
    /// Reads one line, UTF-8, without its "\n" (a "\r" before it is dropped too). A last line
    /// without "\n" is returned as it is; null means the stream ended. Allocates nothing but the
    /// string.
    /// </summary>
    /// <exception cref="LimitOverrunException">The line (without its "\r\n" or "\n") is longer than <see cref="Limit"/>; it is discarded and the next read returns the next line.</exception>
    /// <exception cref="IOException">The connection failed and nothing is left to read.</exception>
    public LoopTask<string?> ReadLineAsync()
    {
        BeginRead();
        StartDelimited(ReadKind.Line, NewLine, default);
        return Start(_lineRead ??= NewOperation<string?>("Connection.ReadLineAsync"));
    }

    /// <summary>
    /// Reads one line into <paramref name="buffer"/>, with its "\n" (and a "\r" before it), and
    /// returns its length; 0 means the stream ended (a last line without "\n" is returned as it is).
    /// Allocates nothing: for code that forwards bytes and needs no string. Await the result once.
    /// </summary>
    /// <exception cref="LimitOverrunException">The line is longer than <see cref="Limit"/>, or does not fit in <paramref name="buffer"/> (give it <see cref="Limit"/> + 2 bytes to take every line the limit allows); it is discarded whole.</exception>
    /// <exception cref="IOException">The connection failed and nothing is left to read.</exception>
    public ValueTask<int> ReadLineAsync(Memory<byte> buffer)
    {
        BeginRead();
        StartDelimited(ReadKind.LineInto, NewLine, buffer);
        return StartValue(IntOperation);
    }

    /// <summary>Reads through the next <paramref name="delimiter"/>, returning the bytes with the delimiter.</summary>
    /// <exception cref="LimitOverrunException">More than <see cref="Limit"/> bytes came before the delimiter; they are discarded up to and including it.</exception>
    /// <exception cref="IncompleteReadException">The stream ended first; it carries what arrived.</exception>
    public LoopTask<byte[]> ReadUntilAsync(ReadOnlyMemory<byte> delimiter)
    {
        if (delimiter.IsEmpty) throw new ArgumentException("The delimiter cannot be empty.", nameof(delimiter));
        BeginRead();
        StartDelimited(ReadKind.Until, delimiter, default);
        return Start(BytesOperation);
    }

    /// <summary>
    /// Reads through the next <paramref name="delimiter"/> into <paramref name="buffer"/>, delimiter
    /// included, and returns the length. Allocates nothing; await the result once. The delimiter's
    /// memory must not change until the read completes.
    /// </summary>
    /// <exception cref="LimitOverrunException">More than <see cref="Limit"/> bytes came before the delimiter, or the piece does not fit in <paramref name="buffer"/>; it is discarded up to and including the delimiter.</exception>
    /// <exception cref="IncompleteReadException">The stream ended first; it carries what arrived.</exception>
    public ValueTask<int> ReadUntilAsync(ReadOnlyMemory<byte> delimiter, Memory<byte> buffer)
    {
        if (delimiter.IsEmpty) throw new ArgumentException("The delimiter cannot be empty.", nameof(delimiter));
        BeginRead();
        StartDelimited(ReadKind.UntilInto, delimiter, buffer);
        return StartValue(IntOperation);
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes. Not bounded by <see cref="Limit"/>: the result
    /// array is allocated at once and bytes move into it as they arrive (the connection itself never
    /// buffers more than usual), so <paramref name="count"/> is exactly the memory you ask for —
    /// check a count that comes from the peer before passing it.
    /// </summary>
    /// <exception cref="IncompleteReadException">The stream ended first; it carries what arrived.</exception>
    public LoopTask<byte[]> ReadExactlyAsync(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        BeginRead();
        StartExactly(ReadKind.Exactly, new byte[count]);
        return Start(BytesOperation);
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> entirely. Not bounded by <see cref="Limit"/>: bytes move into
    /// <paramref name="buffer"/> as they arrive, so the connection itself never buffers more than
    /// usual. Allocates nothing; await the result once. Cancelled, it puts back what it took.
    /// </summary>
    /// <exception cref="IncompleteReadException">The stream ended first; it carries what arrived.</exception>
    public ValueTask ReadExactlyAsync(Memory<byte> buffer)
    {
        BeginRead();
        StartExactly(ReadKind.ExactlyInto, buffer);
        var task = IntOperation.ArmVoidValueTask();
        Attempt();
        return task;
    }

    /// <summary>Reads everything until the peer finishes sending, as UTF-8 text; at most <see cref="Limit"/> bytes.</summary>
    /// <exception cref="LimitOverrunException">More than <see cref="Limit"/> bytes arrived.</exception>
    public LoopTask<string> ReadToEndAsync() => ReadToEndAsync(Limit);

    /// <summary>Reads everything until the peer finishes sending, as UTF-8 text; at most <paramref name="maxBytes"/> bytes.</summary>
    /// <exception cref="LimitOverrunException">More than <paramref name="maxBytes"/> arrived.</exception>
    public async LoopTask<string> ReadToEndAsync(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        BeginRead();
        _readingToEnd = true;
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var collected = new ArrayBufferWriter<byte>();
            int n;
            while ((n = await ReadRaw(chunk)) > 0)
            {
                if (collected.WrittenCount + n > maxBytes) throw new LimitOverrunException(maxBytes);
                collected.Write(chunk.AsSpan(0, n));
            }
            return Encoding.UTF8.GetString(collected.WrittenSpan);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            _readingToEnd = false;
        }
    }

    private ValueTask<int> ReadRaw(Memory<byte> buffer)
    {
        // Raw reads see every byte, even the rest of an overlong line; a zero-byte read (a wait for
        // data that consumes nothing) leaves a delimited read's skipping as it is.
        if (!buffer.IsEmpty) _skipping = false;
        _pending = ReadKind.Raw;
        _destination = buffer;
        return StartValue(IntOperation);
    }

    private void StartExactly(ReadKind kind, Memory<byte> destination)
    {
        _pending = kind;
        _destination = destination;
        _filled = 0;
    }

    private void StartDelimited(ReadKind kind, ReadOnlyMemory<byte> delimiter, Memory<byte> destination)
    {
        _pending = kind;
        _delimiter = delimiter;
        _destination = destination;
        _searchFrom = 0;
    }

    private void BeginRead()
    {
        _loop.CheckThread();
        if (_pending != ReadKind.None || _readingToEnd)
            throw new InvalidOperationException("Another read is already waiting on this connection: only one read may be pending at a time.");
    }
}
