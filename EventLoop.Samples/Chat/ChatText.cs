namespace EventLoop.Samples.Chat;

/// <summary>Every line the chat server sends, in one place, so both front ends say exactly the same.</summary>
public static class ChatText
{
    /// <summary>The default server name.</summary>
    public const string DefaultServerName = "EventLoop Chat";

    /// <summary>The longest server name <c>--name</c> takes.</summary>
    public const int MaxServerNameLength = 64;

    /// <summary>The longest line a client may send, in bytes without its "\n" or "\r\n": longer ones get <see cref="LineTooLong"/>.</summary>
    public const int MaxLineBytes = 4 * 1024;

    /// <summary>How much unsent output a client may pile up, whatever was sent to it, before it is cut off as a slow consumer.</summary>
    public const int MaxPendingOutputBytes = 1024 * 1024;

    /// <summary>The greeting line.</summary>
    public static string Welcome(string serverName) => $"Welcome to {serverName}\n";

    /// <summary>The name prompt: no newline.</summary>
    public const string Prompt = "Enter username: ";

    /// <summary>Sent when the name is in use.</summary>
    public const string NameTaken = "Sorry, that username is taken.\n";

    /// <summary>Sent when <see cref="ChatNames.IsValid"/> refuses the name.</summary>
    public const string NameInvalid = "Sorry, that username is not valid.\n";

    /// <summary>Sent for a line over <see cref="MaxLineBytes"/>.</summary>
    public const string LineTooLong = "Line too long.\n";

    /// <summary>Sent to every client, named or not, when the server stops.</summary>
    public const string ShuttingDown = "Server is shutting down.\n";

    /// <summary>To everyone, the newcomer included.</summary>
    public static string Joined(string name) => $"User '{name}' has joined the room\n";

    /// <summary>To everyone left.</summary>
    public static string Left(string name) => $"User '{name}' has left the room\n";

    /// <summary>A chat line as everyone sees it.</summary>
    public static string Message(string name, string text) => $"{name}: {text}\n";

    /// <summary>The answer to <c>/users</c>: sorted names.</summary>
    public static string Users(IEnumerable<string> names) => $"Users: {string.Join(", ", names.OrderBy(n => n, StringComparer.Ordinal))}\n";
}
