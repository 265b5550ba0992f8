namespace EventLoop.Net;

/// <summary>asyncio's rules for write-buffer water marks, shared by every transport.</summary>
internal static class WriteLimits
{
    public static (int High, int Low) Resolve(int? high, int? low)
    {
        int h = high ?? (low is { } l ? 4 * l : ITransport.DefaultHighWaterMark);
        int lo = low ?? h / 4;
        if (lo < 0 || h < lo)
            throw new ArgumentOutOfRangeException(nameof(high), $"Write buffer limits must satisfy high ({h}) >= low ({lo}) >= 0.");
        return (h, lo);
    }
}
