using System.Text;

namespace EventLoop.Samples.Chat;

/// <summary>
/// Cuts a byte stream into UTF-8 lines for callback-style code, with the same rules as
/// <c>Connection.ReadLineAsync</c>: "\n" ends a line, a "\r" before it is dropped, and a line
/// over the limit is reported once and discarded up to its "\n".
/// </summary>
public sealed class LineSplitter(int limit)
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
                if (_pending.Count > limit)
                {
                    _pending.Clear();
                    _skipping = true;
                    onTooLong();
                }
            }
            if (newline < 0) return;
            data = data[(newline + 1)..];
            if (_skipping)
            {
                _skipping = false;
                continue;
            }
            int length = _pending.Count;
            if (length > 0 && _pending[length - 1] == (byte)'\r') length--;
            string line = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending)[..length]);
            _pending.Clear();
            onLine(line);
        }
    }
}
