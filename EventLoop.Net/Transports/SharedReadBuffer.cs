namespace EventLoop.Net;

/// <summary>
/// The one receive buffer of a loop thread. A transport reads into it and hands the bytes to
/// its protocol as a span that is valid only during the call, so no connection needs a read
/// buffer of its own: an idle connection costs no buffer memory, and reads allocate nothing.
/// </summary>
internal static class SharedReadBuffer
{
    /// <summary>The largest read per readiness event (asyncio reads up to 256 KiB; 64 KiB keeps the loop fair).</summary>
    public const int Size = 64 * 1024;

    [ThreadStatic] private static byte[]? t_buffer;

    public static byte[] Get() => t_buffer ??= GC.AllocateUninitializedArray<byte>(Size);
}
