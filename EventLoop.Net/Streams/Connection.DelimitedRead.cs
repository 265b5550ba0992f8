using System.Text;

namespace EventLoop.Net;

public sealed partial class Connection
{
    /// <summary>
    /// The delimited reads (lines, ReadUntil) from the buffer: find the delimiter from where the
    /// last search stopped, enforce the limit — on the content, not the terminator — and produce the
    /// result the pending read asks for, straight from the buffer (a line costs its string only).
    /// </summary>
    private void TryDelimited()
    {
        if (_skipping && !SkipOverlongRemainder()) return;
        var delimiter = _delimiter.Span;
        var buffered = _buffer.Span;
        bool isLine = _pending is ReadKind.Line or ReadKind.LineInto;
        bool into = _pending is ReadKind.LineInto or ReadKind.UntilInto;
        int found = buffered[_searchFrom..].IndexOf(delimiter);
        if (found >= 0)
        {
            int contentEnd = _searchFrom + found;
            int total = contentEnd + delimiter.Length;
            int content = isLine && contentEnd > 0 && buffered[contentEnd - 1] == (byte)'\r' ? contentEnd - 1 : contentEnd;
            if (content > Limit || (into && total > _destination.Length))
            {
                Consume(total);
                FailDelimited(new LimitOverrunException(content > Limit ? Limit : _destination.Length));
                return;
            }
            CompleteDelimited(total, content);
            return;
        }
        // Without its delimiter yet: overlong for sure once even the shortest ending would exceed a bound.
        int count = buffered.Length;
        int contentAtLeast = count - (delimiter.Length - 1) - (isLine ? 1 : 0);
        if (contentAtLeast > Limit || (into && count >= _destination.Length))
        {
            // Drop it now, keeping a tail that may be the start of the delimiter, and the rest as it comes.
            Consume(count - (delimiter.Length - 1));
            _skipping = true;
            _skipDelimiter = _delimiter;
            FailDelimited(new LimitOverrunException(contentAtLeast > Limit ? Limit : _destination.Length));
            return;
        }
        _searchFrom = Math.Max(0, count - delimiter.Length + 1);
        if (!_eof) return;
        if (count == 0 && LostWithError) FailDelimited(NewConnectionLostException());
        else if (!isLine) FailDelimited(new IncompleteReadException(Take(count), null));
        else if (count == 0) CompleteEndOfStream();
        else CompleteDelimited(count, buffered[count - 1] == (byte)'\r' ? count - 1 : count); // a last line without "\n"
    }

    /// <summary>Skips the rest of an overlong piece; false while its delimiter has not arrived (nothing else to do yet).</summary>
    private bool SkipOverlongRemainder()
    {
        var delimiter = _skipDelimiter.Span;
        int found = _buffer.Span.IndexOf(delimiter);
        if (found >= 0)
        {
            Consume(found + delimiter.Length);
            _skipping = false;
            return true;
        }
        if (_eof)
        {
            _buffer.Clear();
            _skipping = false;
            return true;
        }
        Consume(Math.Max(0, _buffer.Count - (delimiter.Length - 1)));
        return false;
    }

    private void CompleteDelimited(int total, int content)
    {
        var piece = _buffer.Span;
        switch (_pending)
        {
            case ReadKind.Line:
                string line = Encoding.UTF8.GetString(piece[..content]);
                Consume(total);
                Finish(_lineRead!, line);
                break;
            case ReadKind.Until:
                var bytes = piece[..total].ToArray();
                Consume(total);
                Finish(BytesOperation, bytes);
                break;
            default: // LineInto, UntilInto
                piece[..total].CopyTo(_destination.Span);
                Consume(total);
                Finish(IntOperation, total);
                break;
        }
    }

    private void CompleteEndOfStream()
    {
        if (_pending == ReadKind.Line) Finish(_lineRead!, null);
        else Finish(IntOperation, 0);
    }

    private void FailDelimited(Exception error)
    {
        switch (_pending)
        {
            case ReadKind.Line: Fail(_lineRead!, error); break;
            case ReadKind.Until: Fail(BytesOperation, error); break;
            default: Fail(IntOperation, error); break;
        }
    }
}
