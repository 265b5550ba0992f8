using System.Text;
using EventLoop.Samples.Http;

namespace EventLoop.Tests.Samples.Http;

/// <summary>The request-head parser on its own: every limit and error code, pipelining, heads arriving in pieces.</summary>
public class HttpRequestParserTests
{
    private static readonly HttpLimits Limits = new() { MaxHeadBytes = 8 * 1024, MaxBodyBytes = 1000 };

    private static (HttpParseStatus Status, HttpRequestHead Head, int Consumed) Parse(string text, HttpLimits? limits = null)
    {
        var head = new HttpRequestHead();
        var status = new HttpRequestParser(limits ?? Limits).Parse(Encoding.Latin1.GetBytes(text), head, out int consumed);
        return (status, head, consumed);
    }

    private static int ErrorOf(string text)
    {
        var (status, head, _) = Parse(text);
        Assert.That(status, Is.EqualTo(HttpParseStatus.Error), "expected an error for: " + text);
        Assert.That(head.ErrorDetail, Is.Not.Empty);
        return head.ErrorStatus;
    }

    [Test]
    public void ASimpleGetIsParsed()
    {
        const string request = "GET /json?pretty=1 HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes(request);
        var head = new HttpRequestHead();

        var status = new HttpRequestParser(Limits).Parse(bytes, head, out int consumed);

        Assert.That(status, Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(consumed, Is.EqualTo(bytes.Length));
        Assert.That(head.Method, Is.EqualTo(RequestMethod.Get));
        Assert.That(Encoding.ASCII.GetString(head.Path(bytes)), Is.EqualTo("/json"), "the query is not part of the path");
        Assert.That(head.IsHttp11 && head.KeepAlive && !head.HasBody, Is.True);
    }

    [Test]
    public void PipelinedRequestsAreParsedOneAfterTheOther()
    {
        var bytes = Encoding.ASCII.GetBytes(
            "GET /a HTTP/1.1\r\nHost: h\r\n\r\n" +
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello" +
            "HEAD /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        var parser = new HttpRequestParser(Limits);
        var head = new HttpRequestHead();
        var seen = new List<string>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            var span = bytes.AsSpan(offset);
            Assert.That(parser.Parse(span, head, out int consumed), Is.EqualTo(HttpParseStatus.Complete));
            seen.Add($"{head.Method} {Encoding.ASCII.GetString(head.Path(span))} {head.ContentLength} {head.KeepAlive}");
            offset += consumed + (int)Math.Max(0, head.ContentLength); // the caller reads the body
        }

        Assert.That(seen, Is.EqualTo(new[] { "Get /a -1 True", "Post /echo 5 True", "Head /c -1 False" }));
    }

    [Test]
    public void AHeadArrivingOneByteAtATimeIsIncompleteUntilItsBlankLine()
    {
        var bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\nGET /next");
        int headLength = bytes.Length - "GET /next".Length;
        var parser = new HttpRequestParser(Limits);
        var head = new HttpRequestHead();
        for (int length = 0; length < headLength; length++)
            Assert.That(parser.Parse(bytes.AsSpan(0, length), head, out _), Is.EqualTo(HttpParseStatus.Incomplete), $"with {length} bytes");

        Assert.That(parser.Parse(bytes, head, out int consumed), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(consumed, Is.EqualTo(headLength));
    }

    [Test]
    public void EmptyLinesBeforeARequestLineAreSkipped() =>
        Assert.That(Parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").Status, Is.EqualTo(HttpParseStatus.Complete));

    [TestCase("GET http://example.com/json?x HTTP/1.1\r\nHost: example.com\r\n\r\n", "/json")]
    [TestCase("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", "")]
    [TestCase("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "*")]
    public void AbsoluteAndAsteriskFormsGiveThePath(string request, string path)
    {
        var bytes = Encoding.ASCII.GetBytes(request);
        var head = new HttpRequestHead();
        Assert.That(new HttpRequestParser(Limits).Parse(bytes, head, out _), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(Encoding.ASCII.GetString(head.Path(bytes)), Is.EqualTo(path));
    }

    [TestCase("HTTP/1.1", "", true)]
    [TestCase("HTTP/1.1", "Connection: close\r\n", false)]
    [TestCase("HTTP/1.1", "Connection: Keep-Alive, CLOSE\r\n", false)]
    [TestCase("HTTP/1.0", "", false)]
    [TestCase("HTTP/1.0", "Connection: Keep-Alive\r\n", true)]
    public void KeepAliveFollowsTheVersionAndTheConnectionHeader(string version, string header, bool keepAlive) =>
        Assert.That(Parse($"GET / {version}\r\nHost: h\r\n{header}\r\n").Head.KeepAlive, Is.EqualTo(keepAlive));

    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n", 10L, false)]
    [TestCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n", 7L, false)]
    [TestCase("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n", -1L, true)]
    public void BodyFramingIsRead(string request, long contentLength, bool chunked)
    {
        var head = Parse(request).Head;
        Assert.That((head.ContentLength, head.IsChunked, head.HasBody), Is.EqualTo((contentLength, chunked, true)));
    }

    [Test]
    public void ExpectContinueIsNoticed() =>
        Assert.That(Parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n").Head.ExpectContinue, Is.True);

    [TestCase("GARBAGE\r\n\r\n")]
    [TestCase("GET /\r\nHost: h\r\n\r\n")]
    [TestCase("GET  / HTTP/1.1\r\nHost: h\r\n\r\n")]
    [TestCase("GET / HTTP/1.1 \r\nHost: h\r\n\r\n")]
    [TestCase("G(T / HTTP/1.1\r\nHost: h\r\n\r\n")]
    [TestCase("GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n")]
    [TestCase("GET / HTTX/1.1\r\nHost: h\r\n\r\n")]
    [TestCase("GET / HTTP/1.x\r\nHost: h\r\n\r\n")]
    [TestCase("GET relative HTTP/1.1\r\nHost: h\r\n\r\n")]
    [TestCase("GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n")]
    [TestCase("GET * HTTP/1.1\r\nHost: h\r\n\r\n")]
    public void ABadRequestLineIs400(string request) => Assert.That(ErrorOf(request), Is.EqualTo(400));

    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nNo colon here\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nName : space before colon\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n folded\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u0001b\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\nHost: h\n\n")]
    [TestCase("GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    [TestCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n")]
    [TestCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1,2\r\n\r\n")]
    [TestCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n")]
    [TestCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")]
    [TestCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [TestCase("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")]
    public void ABadHeaderIs400(string request) => Assert.That(ErrorOf(request), Is.EqualTo(400));

    [TestCase("Transfer-Encoding: gzip\r\n")]
    [TestCase("Transfer-Encoding: gzip, chunked\r\n")]
    [TestCase("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")]
    [TestCase("Transfer-Encoding: identity\r\n")]
    public void AnUnsupportedTransferEncodingIs501(string header) =>
        Assert.That(ErrorOf($"POST / HTTP/1.1\r\nHost: h\r\n{header}\r\n"), Is.EqualTo(501));

    [TestCase("HTTP/2.0")]
    [TestCase("HTTP/0.9")]
    public void AnotherMajorVersionIs505(string version) => Assert.That(ErrorOf($"GET / {version}\r\nHost: h\r\n\r\n"), Is.EqualTo(505));

    [Test]
    public void AMinorVersionAboveOneIsTreatedAsHttp11() => Assert.That(Parse("GET / HTTP/1.7\r\nHost: h\r\n\r\n").Head.IsHttp11, Is.True);

    [TestCase("1000", 0)]
    [TestCase("1001", 413)]
    [TestCase("99999999999999999999999", 413)]
    public void ContentLengthOverTheBodyLimitIs413(string length, int errorStatus)
    {
        var (status, head, _) = Parse($"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: {length}\r\n\r\n");
        Assert.That(status, Is.EqualTo(errorStatus == 0 ? HttpParseStatus.Complete : HttpParseStatus.Error));
        Assert.That(head.ErrorStatus, Is.EqualTo(errorStatus));
    }

    [Test]
    public void AHeadOfExactlyTheLimitIsAcceptedAndOneByteMoreIs431()
    {
        var limits = new HttpLimits { MaxHeadBytes = 100 };
        string Request(int totalLength)
        {
            const string start = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ";
            return start + new string('a', totalLength - start.Length - 4) + "\r\n\r\n";
        }
        Assert.That(Parse(Request(100), limits).Status, Is.EqualTo(HttpParseStatus.Complete));
        var (status, head, _) = Parse(Request(101), limits);
        Assert.That((status, head.ErrorStatus), Is.EqualTo((HttpParseStatus.Error, 431)));
    }

    [Test]
    public void HeadersStillArrivingPastTheLimitAre431WithoutWaitingForTheirEnd()
    {
        string partial = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', 9 * 1024); // 9 KiB, no blank line yet
        var (status, head, _) = Parse(partial);
        Assert.That((status, head.ErrorStatus), Is.EqualTo((HttpParseStatus.Error, 431)));
    }

    [Test]
    public void ARequestLineOverTheLimitIs414()
    {
        var (status, head, _) = Parse("GET /" + new string('a', 9 * 1024));
        Assert.That((status, head.ErrorStatus), Is.EqualTo((HttpParseStatus.Error, 414)));
    }

    [Test]
    public void AnIncompleteHeadUnderTheLimitWaitsForMore() =>
        Assert.That(Parse("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', 7 * 1024)).Status, Is.EqualTo(HttpParseStatus.Incomplete));

    [TestCase("get", "Other")]
    [TestCase("PATCH", "Other")]
    [TestCase("DELETE", "Delete")]
    public void MethodsAreCaseSensitiveTokens(string method, string expected) =>
        Assert.That(Parse($"{method} / HTTP/1.1\r\nHost: h\r\n\r\n").Head.Method.ToString(), Is.EqualTo(expected));
}
