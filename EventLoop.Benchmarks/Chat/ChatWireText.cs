using System.Text;
using EventLoop.Samples.Chat;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// The chat protocol's fixed lines as bytes, taken from the samples' own <see cref="ChatText"/> so
/// the floor server speaks, and the generator expects, exactly what the samples send.
/// </summary>
internal static class ChatWireText
{
    public static readonly string ServerName = ChatText.DefaultServerName;
    public static readonly byte[] Welcome = Bytes(ChatText.Welcome(ServerName));
    public static readonly byte[] Prompt = Bytes(ChatText.Prompt);
    public static readonly byte[] ShuttingDown = Bytes(ChatText.ShuttingDown);
    public static readonly byte[] NameTaken = Bytes(ChatText.NameTaken);
    public static readonly byte[] NameInvalid = Bytes(ChatText.NameInvalid);
    public static readonly byte[] LineTooLong = Bytes(ChatText.LineTooLong);

    public static byte[] Joined(string name) => Bytes(ChatText.Joined(name));

    public static byte[] Left(string name) => Bytes(ChatText.Left(name));

    /// <summary>What precedes a member's text in a broadcast line ("name: "); the line ends with "\n".</summary>
    public static byte[] MessagePrefix(string name)
    {
        string line = ChatText.Message(name, "");
        return line.EndsWith('\n') ? Bytes(line[..^1]) : throw new InvalidOperationException($"The chat line format changed: '{line}' does not end with a newline.");
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
