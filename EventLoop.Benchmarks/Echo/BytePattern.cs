namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// What one client sends, as a function of the stream offset: random bytes of a prime period,
/// seeded per connection. A reordered, duplicated, dropped or crossed-over chunk therefore
/// differs from what is expected at its offset (messages shift by multiples of the message size,
/// never of a prime period), so comparing each received chunk with the pattern at its offset
/// checks every echoed byte. The array repeats the start of the period past its end, so any
/// chunk up to <c>maxChunk</c> is one contiguous slice: send and verify copy nothing.
/// </summary>
internal sealed class BytePattern
{
    private const int Period = 65_521; // the largest prime below 2^16
    private readonly byte[] _bytes;

    public BytePattern(int seed, int maxChunk)
    {
        _bytes = new byte[Period + maxChunk];
        new Random(seed).NextBytes(_bytes.AsSpan(0, Period));
        for (int i = Period; i < _bytes.Length; i++) _bytes[i] = _bytes[i % Period];
    }

    /// <summary>The <paramref name="count"/> bytes starting at stream offset <paramref name="offset"/>.</summary>
    public ReadOnlyMemory<byte> At(long offset, int count) => _bytes.AsMemory((int)(offset % Period), count);
}
