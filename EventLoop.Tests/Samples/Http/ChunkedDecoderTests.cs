using System.Text;
using EventLoop.Samples.Http;

namespace EventLoop.Tests.Samples.Http;

/// <summary>Chunked request bodies: decoded the same whatever pieces they arrive in; limits and malformed framing refused.</summary>
public class ChunkedDecoderTests
{
    private static readonly HttpLimits Limits = new() { MaxHeadBytes = 64, MaxBodyBytes = 20 };

    /// <summary>Feeds <paramref name="wire"/> in pieces of <paramref name="piece"/> bytes, as reads would deliver it.</summary>
    private static (HttpParseStatus Status, string Body, int Consumed, ChunkedDecoder Decoder) Decode(string wire, int piece = int.MaxValue)
    {
        var bytes = Encoding.ASCII.GetBytes(wire);
        var decoder = new ChunkedDecoder(Limits);
        decoder.Reset();
        var body = new PooledBuffer(16);
        int offset = 0;
        var status = HttpParseStatus.Incomplete;
        while (offset < bytes.Length && status == HttpParseStatus.Incomplete)
        {
            int length = Math.Min(piece, bytes.Length - offset);
            status = decoder.Decode(bytes.AsSpan(offset, length), body, out int consumed);
            Assert.That(consumed, Is.LessThanOrEqualTo(length));
            if (status == HttpParseStatus.Incomplete) Assert.That(consumed, Is.EqualTo(length), "Incomplete must use every byte it was given");
            offset += consumed;
        }
        var text = Encoding.ASCII.GetString(body.WrittenSpan);
        body.Release();
        return (status, text, offset, decoder);
    }

    [Test]
    public void ChunksAreJoinedInEveryPieceSize([Range(1, 12)] int piece)
    {
        const string wire = "5\r\nhello\r\n1;ext=\"x\"\r\n \r\nA\r\nchunked!!!\r\n0\r\nTrailer: t\r\n\r\nGET /next";
        var (status, body, consumed, _) = Decode(wire, piece);

        Assert.That(status, Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(body, Is.EqualTo("hello chunked!!!"));
        Assert.That(wire[consumed..], Is.EqualTo("GET /next"), "the next pipelined request is left alone");
    }

    [Test]
    public void AnEmptyBodyIsTheLastChunkAlone() => Assert.That(Decode("0\r\n\r\n").Status, Is.EqualTo(HttpParseStatus.Complete));

    [Test]
    public void ABodyStillArrivingIsIncomplete() => Assert.That(Decode("5\r\nhel").Status, Is.EqualTo(HttpParseStatus.Incomplete));

    [Test]
    public void ABodyOfExactlyTheLimitIsAccepted() =>
        Assert.That(Decode("a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n").Body, Has.Length.EqualTo(20));

    [TestCase("15\r\n")]                                    // one chunk over the limit: refused before its data
    [TestCase("a\r\n0123456789\r\nb\r\n")]                 // the sum over the limit
    [TestCase("ffffffffffffffffffffffff\r\n")]             // a size that would overflow
    public void ABodyOverTheLimitIs413(string wire)
    {
        var (status, _, _, decoder) = Decode(wire);
        Assert.That((status, decoder.ErrorStatus), Is.EqualTo((HttpParseStatus.Error, 413)));
    }

    [TestCase("x\r\n")]                     // not hex
    [TestCase("\r\n")]                      // no size
    [TestCase("5x\r\nhello\r\n")]          // junk after the size
    [TestCase("5\nhello\r\n")]             // bare LF after the size
    [TestCase("5\r\nhelloX\r\n")]          // data longer than its size
    [TestCase("5\r\nhello\rX")]            // CR not followed by LF
    [TestCase("0\r\nTrailer: t\n\r\n")]    // a trailer with a bare LF
    [TestCase("0\r\n\rX")]                 // the final CRLF broken
    public void MalformedFramingIs400(string wire)
    {
        var (status, _, _, decoder) = Decode(wire);
        Assert.That((status, decoder.ErrorStatus), Is.EqualTo((HttpParseStatus.Error, 400)));
    }

    [Test]
    public void AnOverlongExtensionIs400() =>
        Assert.That(Decode("1;" + new string('e', 100) + "\r\n").Decoder.ErrorStatus, Is.EqualTo(400));

    [Test]
    public void OverlongTrailersAre431() =>
        Assert.That(Decode("0\r\nX: " + new string('t', 100) + "\r\n\r\n").Decoder.ErrorStatus, Is.EqualTo(431));

    [Test]
    public void ResetMakesTheDecoderReadyForTheNextBody()
    {
        var decoder = new ChunkedDecoder(Limits);
        var body = new PooledBuffer(16);
        decoder.Reset();
        Assert.That(decoder.Decode("1\r\na\r\n0\r\n\r\n"u8, body, out _), Is.EqualTo(HttpParseStatus.Complete));
        body.Clear();
        decoder.Reset();
        Assert.That(decoder.Decode("2\r\nbc\r\n0\r\n\r\n"u8, body, out _), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(Encoding.ASCII.GetString(body.WrittenSpan), Is.EqualTo("bc"));
        body.Release();
    }
}
