namespace EventLoop.Net;

/// <summary>How a <see cref="MemoryTransport"/> pair moves bytes.</summary>
public sealed class MemoryPipeOptions
{
    /// <summary>The most bytes delivered to the reader in one loop step (a socket read's size). Default 64 KiB; set small to exercise partial reads.</summary>
    public int ChunkSize { get; set; } = 64 * 1024;
}
