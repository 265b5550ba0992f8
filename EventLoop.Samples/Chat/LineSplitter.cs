namespace EventLoop.Samples.Chat;

/// <summary>
/// Cuts a byte stream into chat lines for callback-style code, by the same rules as the streams
/// handler's <c>ReadUntilAsync("\n")</c> with <see cref="ChatLines.ReadLimit"/>: a line whose
/// bytes pass the limit before its "\n" is reported once and discarded up to its "\n", and
/// <see cref="ChatLines.Decode"/> decides the rest. Holds at most <see cref="ChatLines.ReadLimit"/> bytes.
/// </summary>
public sealed class LineSplitter
{
    private readonly List<byte> _pending = new();
    private bool _skipping;

    /// <summary>Feeds bytes; calls <paramref name="onLine"/> for each complete line, <paramref name="onTooLong"/> for each overlong one.</summary>
    public void Feed(ReadOnlySpan<byte> data, Action<string> onLine, Action onTooLong)
    {
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            var piece = newline < 0 ? data : data[..newline];
            if (!_skipping)
            {
                foreach (var b in piece) _pending.Add(b);
                if (_pending.Count > ChatLines.ReadLimit)
                {
                    _pending.Clear();
                    _skipping = true;
                    onTooLong();
                }
            }
            if (newline < 0) return;
            data = data[(newline + 1)..];
            if (_skipping) _skipping = false;
            else Deliver(onLine, onTooLong);
        }
    }

    /// <summary>The stream has ended: a last line without "\n" counts as a line.</summary>
    public void Finish(Action<string> onLine, Action onTooLong)
    {
        if (_skipping || _pending.Count == 0) return;
        Deliver(onLine, onTooLong);
    }

    private void Deliver(Action<string> onLine, Action onTooLong)
    {
        string? line = ChatLines.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending));
        _pending.Clear();
        if (line is null) onTooLong();
        else onLine(line);
    }
}
