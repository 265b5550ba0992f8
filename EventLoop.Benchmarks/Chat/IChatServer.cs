namespace EventLoop.Benchmarks.Chat;

/// <summary>A chat server running in this process (the <c>chat-server</c> sub-mode), listening on 127.0.0.1.</summary>
internal interface IChatServer : IDisposable
{
    /// <summary>Stops as the samples do on Ctrl+C (everyone told, then closed); true if it ended cleanly and in time.</summary>
    bool Stop();
}
