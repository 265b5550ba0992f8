namespace EventLoop.Samples.Http;

/// <summary>
/// Decodes a chunked request body (RFC 9112 §7.1) as it arrives, in any pieces: hex sizes,
/// extensions skipped, data appended to the body, trailers skipped. The body is bounded by
/// <see cref="HttpLimits.MaxBodyBytes"/> (413 as soon as a chunk size says it would not fit), a size
/// line's extensions and the trailers by <see cref="HttpLimits.MaxHeadBytes"/>.
/// </summary>
internal sealed class ChunkedDecoder(HttpLimits limits)
{
    private enum State { Size, Extension, SizeLf, Data, DataCr, DataLf, Trailer, TrailerLf, Done }

    private State _state;
    private long _chunkSize;
    private bool _sawDigit;
    private int _lineBytes;
    private int _trailerBytes;

    /// <summary>After <see cref="HttpParseStatus.Error"/>: the status to answer with (400, 413 or 431).</summary>
    public int ErrorStatus { get; private set; }

    /// <summary>After an error: what was wrong.</summary>
    public string? ErrorDetail { get; private set; }

    /// <summary>Ready for the next body.</summary>
    public void Reset()
    {
        _state = State.Size;
        _chunkSize = 0;
        _sawDigit = false;
        _lineBytes = _trailerBytes = 0;
        ErrorStatus = 0;
        ErrorDetail = null;
    }

    /// <summary>
    /// Decodes from <paramref name="input"/> into <paramref name="body"/>, stopping at the end of
    /// the chunked body (what follows is the next request). <see cref="HttpParseStatus.Incomplete"/>:
    /// all of <paramref name="input"/> was used, more is needed.
    /// </summary>
    public HttpParseStatus Decode(ReadOnlySpan<byte> input, PooledBuffer body, out int consumed)
    {
        int i = 0;
        while (i < input.Length && _state != State.Done)
        {
            if (_state == State.Data)
            {
                int n = (int)Math.Min(_chunkSize, input.Length - i);
                body.Write(input.Slice(i, n));
                i += n;
                _chunkSize -= n;
                if (_chunkSize == 0) _state = State.DataCr;
                continue;
            }
            var status = Step(input[i++], body.Count);
            if (status == HttpParseStatus.Error)
            {
                consumed = i;
                return status;
            }
        }
        consumed = i;
        return _state == State.Done ? HttpParseStatus.Complete : HttpParseStatus.Incomplete;
    }

    /// <summary>One byte of framing (everything but chunk data).</summary>
    private HttpParseStatus Step(byte b, int bodyBytes)
    {
        switch (_state)
        {
            case State.Size:
                if (HexValue(b) is int digit and >= 0)
                {
                    _chunkSize = _chunkSize * 16 + digit;
                    _sawDigit = true;
                    if (_chunkSize > limits.MaxBodyBytes - bodyBytes) return Fail(413, $"The body is larger than {limits.MaxBodyBytes} bytes.");
                    return HttpParseStatus.Incomplete;
                }
                if (!_sawDigit) return Fail(400, "A chunk size is not a hexadecimal number.");
                if (b == '\r') _state = State.SizeLf;
                else if (b is (byte)';' or (byte)' ' or (byte)'\t') _state = State.Extension;
                else return Fail(400, "A chunk size is followed by something other than an extension or CRLF.");
                return HttpParseStatus.Incomplete;
            case State.Extension:
                if (b == '\r') _state = State.SizeLf;
                else if (++_lineBytes > limits.MaxHeadBytes) return Fail(400, "A chunk extension is too long.");
                return HttpParseStatus.Incomplete;
            case State.SizeLf:
                if (b != '\n') return Fail(400, "A chunk size line does not end in CRLF.");
                _state = _chunkSize == 0 ? State.Trailer : State.Data;
                _lineBytes = 0;
                return HttpParseStatus.Incomplete;
            case State.DataCr:
                if (b != '\r') return Fail(400, "Chunk data is longer than its size.");
                _state = State.DataLf;
                return HttpParseStatus.Incomplete;
            case State.DataLf:
                if (b != '\n') return Fail(400, "Chunk data is not followed by CRLF.");
                _state = State.Size;
                _chunkSize = 0;
                _sawDigit = false;
                return HttpParseStatus.Incomplete;
            case State.Trailer:
                if (++_trailerBytes > limits.MaxHeadBytes) return Fail(431, $"The trailers are longer than {limits.MaxHeadBytes} bytes.");
                if (b == '\r') _state = State.TrailerLf;
                else if (b == '\n') return Fail(400, "A trailer line ends in a bare LF.");
                else _lineBytes++;
                return HttpParseStatus.Incomplete;
            default: // TrailerLf
                if (b != '\n') return Fail(400, "A trailer line does not end in CRLF.");
                _state = _lineBytes == 0 ? State.Done : State.Trailer; // an empty line ends the body
                _lineBytes = 0;
                return HttpParseStatus.Incomplete;
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private HttpParseStatus Fail(int status, string detail)
    {
        ErrorStatus = status;
        ErrorDetail = detail;
        return HttpParseStatus.Error;
    }
}
