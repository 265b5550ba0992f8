using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// Who is in the generator's room and what each line looks like, shared by all its clients.
/// Client i is named "u" + i in five digits (all names one width, so every delivered line of a
/// run has one length); the senders are spread evenly over the clients. A sender's line is
/// <see cref="LineBytes"/> bytes: its sequence number in ten digits, a space, letters that depend
/// on sender and number, and "\n" — so a receiver can check each line it gets completely: whose
/// it is, that it is the next one from that sender, and every byte of it.
/// </summary>
internal sealed class ChatRoomPlan
{
    public const int MaxClients = 100_000; // five-digit names
    private const int SequenceDigits = 10;
    private const int FillerStart = SequenceDigits + 1; // after the number and its space

    /// <summary>The shortest line a sender can send: the number, a space, one letter, the newline.</summary>
    public const int MinLineBytes = FillerStart + 2;

    private readonly byte[][] _names;
    private readonly byte[][] _prefixes;
    private readonly byte[][] _joinNotices;
    private readonly int[] _slotOfClient;
    private readonly byte[] _letters;

    public ChatRoomPlan(int clients, int senders, int lineBytes, int depth)
    {
        if (clients is < 1 or > MaxClients) throw new ArgumentOutOfRangeException(nameof(clients));
        if (senders < 1 || senders > clients) throw new ArgumentOutOfRangeException(nameof(senders));
        if (lineBytes < MinLineBytes) throw new ArgumentOutOfRangeException(nameof(lineBytes));
        Clients = clients;
        Senders = senders;
        LineBytes = lineBytes;
        Depth = depth;
        _names = new byte[clients][];
        _prefixes = new byte[clients][];
        _joinNotices = new byte[clients][];
        for (int i = 0; i < clients; i++)
        {
            string name = "u" + i.ToString("D5", CultureInfo.InvariantCulture);
            _names[i] = ChatWireText.Bytes(name);
            _prefixes[i] = ChatWireText.MessagePrefix(name);
            _joinNotices[i] = ChatWireText.Joined(name)[..^1]; // as a line: without its newline
        }
        PrefixLength = _prefixes[0].Length;
        _slotOfClient = new int[clients];
        Array.Fill(_slotOfClient, -1);
        ClientOfSlot = new int[senders];
        for (int slot = 0; slot < senders; slot++)
        {
            ClientOfSlot[slot] = (int)((long)slot * clients / senders);
            _slotOfClient[ClientOfSlot[slot]] = slot;
        }
        SentBySlot = new long[senders];
        _letters = new byte[26 + lineBytes];
        for (int i = 0; i < _letters.Length; i++) _letters[i] = (byte)('a' + i % 26);
    }

    public int Clients { get; }
    public int Senders { get; }

    /// <summary>Bytes of each line a sender sends, its newline included.</summary>
    public int LineBytes { get; }

    /// <summary>Lines a sender may have in flight.</summary>
    public int Depth { get; }

    /// <summary>Length of "name: ", the same for every client.</summary>
    public int PrefixLength { get; }

    /// <summary>A delivered chat line, without its newline.</summary>
    public int DeliveredLineLength => PrefixLength + LineBytes - 1;

    /// <summary>The client of each sender slot.</summary>
    public int[] ClientOfSlot { get; }

    /// <summary>Lines each sender has handed to its socket so far: a receiver refuses a number not sent yet.</summary>
    public long[] SentBySlot { get; }

    public ReadOnlySpan<byte> Name(int client) => _names[client];

    public ReadOnlySpan<byte> JoinNotice(int client) => _joinNotices[client];

    /// <summary>The sender slot of a client, or -1 if it only listens.</summary>
    public int SlotOf(int client) => _slotOfClient[client];

    /// <summary>Writes sender <paramref name="slot"/>'s line number <paramref name="sequence"/> (<see cref="LineBytes"/> bytes).</summary>
    public void WriteLine(Span<byte> into, int slot, long sequence)
    {
        if (!Utf8Formatter.TryFormat(sequence, into, out _, new StandardFormat('D', SequenceDigits)))
            throw new InvalidOperationException("No room for a line.");
        into[SequenceDigits] = (byte)' ';
        Filler(slot, sequence).CopyTo(into[FillerStart..]);
        into[LineBytes - 1] = (byte)'\n';
    }

    /// <summary>
    /// The sender of a delivered line (without its newline), from its "name: " prefix; -1 if the
    /// line is not "uNNNNN: " followed by a line of the right length.
    /// </summary>
    public int SenderOf(ReadOnlySpan<byte> line)
    {
        if (line.Length != DeliveredLineLength || line[0] != (byte)'u') return -1;
        int client = 0;
        for (int i = 1; i <= 5; i++)
        {
            int digit = line[i] - '0';
            if ((uint)digit > 9) return -1;
            client = client * 10 + digit;
        }
        return client < Clients && line[..PrefixLength].SequenceEqual(_prefixes[client]) ? client : -1;
    }

    /// <summary>The sequence number in a sender's text (after the prefix), or -1 if malformed.</summary>
    public static long SequenceOf(ReadOnlySpan<byte> text) =>
        text.Length > SequenceDigits && text[SequenceDigits] == (byte)' ' && Utf8Parser.TryParse(text[..SequenceDigits], out long sequence, out int used) && used == SequenceDigits
            ? sequence
            : -1;

    /// <summary>Whether a sender's text (without its newline) carries exactly that sender's letters after the number.</summary>
    public bool FillerMatches(ReadOnlySpan<byte> text, int slot, long sequence) =>
        text[FillerStart..].SequenceEqual(Filler(slot, sequence));

    // Letters starting at a point that moves with sender and number: a line swapped with another
    // sender's, or with the same sender's next one, differs in every byte of it.
    private ReadOnlySpan<byte> Filler(int slot, long sequence) =>
        _letters.AsSpan((int)((sequence + slot) % 26), LineBytes - 1 - FillerStart);
}
