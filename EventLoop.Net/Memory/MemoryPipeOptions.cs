namespace EventLoop.Net;

/// <summary>How a <see cref="MemoryTransport"/> pair moves bytes.</summary>
public sealed class MemoryPipeOptions
{
    /// <summary>
    /// The most bytes delivered to a reader in one loop step (a socket read's size), and the most
    /// an end holds received but not yet read (a socket buffer's size). Default 64 KiB; set small
    /// to exercise partial reads and a full buffer.
    /// </summary>
    public int ChunkSize { get; set; } = 64 * 1024;
}
