namespace EventLoop.Samples.Chat;

/// <summary>What the room needs from a connected client, whichever style serves it.</summary>
public interface IChatClient
{
    /// <summary>Queues text for the client (never blocks).</summary>
    void Send(string text);

    /// <summary>Bytes queued for the client and not sent yet.</summary>
    int PendingOutputBytes { get; }

    /// <summary>Closes the client's connection gracefully.</summary>
    void Close();

    /// <summary>Cuts the client off at once.</summary>
    void Abort();

    /// <summary>For logs.</summary>
    string Peer { get; }
}
