using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EventLoop.Net;
using EventLoop.Samples.Http;
using EventLoop.Tests.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Tests.Samples.Http;

/// <summary>The http sample in-process over real loopback sockets: routes, keep-alive, pipelining, bodies, errors.</summary>
public class HttpServerTests : NetTestBase
{
    private static readonly HttpLimits Limits = new() { MaxBodyBytes = 2 * 1024 * 1024 };
    private HttpServer _http = null!;

    private async LoopTask<Connection> ConnectAsync()
    {
        _http = new HttpServer(Loop, Limits, NullLogger.Instance);
        var server = await Loop.StartServerAsync(_http.HandleAsync, Loopback0);
        _http.Listener = server;
        _http.Start();
        return await Loop.OpenConnectionAsync(server.LocalEndPoint);
    }

    private T Serve<T>(Func<Connection, LoopTask<T>> client) => Run(async () =>
    {
        var connection = await ConnectAsync();
        try
        {
            return await client(connection);
        }
        finally
        {
            _http.Stop();
            connection.Abort();
        }
    });

    private static void Send(Connection connection, string text) => connection.Write(Encoding.Latin1.GetBytes(text));

    [Test]
    public void GetSlashIsHelloWorldWithDateContentLengthAndServer()
    {
        var response = Serve(async c =>
        {
            Send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            return await HttpResponse.ReadAsync(c);
        });

        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Text, Is.EqualTo("Hello, World!"));
        Assert.That(response.Header("Content-Type"), Is.EqualTo("text/plain"));
        Assert.That(response.Header("Content-Length"), Is.EqualTo("13"));
        Assert.That(response.Header("Server"), Is.EqualTo("EventLoop"));
        var date = DateTimeOffset.ParseExact(response.Header("Date")!, "r", CultureInfo.InvariantCulture);
        Assert.That(date, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public void GetJsonIsTheMessage()
    {
        var response = Serve(async c =>
        {
            Send(c, "GET /json HTTP/1.1\r\nHost: t\r\n\r\n");
            return await HttpResponse.ReadAsync(c);
        });

        Assert.That((response.Status, response.Header("Content-Type"), response.Text), Is.EqualTo((200, "application/json", """{"message":"Hello, World!"}""")));
    }

    [Test]
    public void HeadGetsGetsHeadersAndNoBody()
    {
        var (head, next) = Serve(async c =>
        {
            Send(c, "HEAD / HTTP/1.1\r\nHost: t\r\n\r\n");
            var head = await HttpResponse.ReadAsync(c, toHead: true);
            // Had any body bytes followed the HEAD response, they would be read here as the next status line.
            Send(c, "GET /json HTTP/1.1\r\nHost: t\r\n\r\n");
            return (head, await HttpResponse.ReadAsync(c));
        });

        Assert.That((head.Status, head.Header("Content-Length")), Is.EqualTo((200, "13")));
        Assert.That(next.Text, Is.EqualTo("""{"message":"Hello, World!"}"""));
    }

    [Test]
    public void PipelinedRequestsAreAnsweredInOrderOnOneConnection()
    {
        var responses = Serve(async c =>
        {
            Send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n" +
                    "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nfirst" +
                    "GET /missing HTTP/1.1\r\nHost: t\r\n\r\n" +
                    "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n" +
                    "GET /json HTTP/1.1\r\nHost: t\r\n\r\n");
            var all = new List<HttpResponse>();
            for (int i = 0; i < 5; i++) all.Add(await HttpResponse.ReadAsync(c));
            return all;
        });

        Assert.That(responses.Select(r => $"{r.Status} {r.Text}"), Is.EqualTo(new[]
        {
            "200 Hello, World!", "200 first", "404 Not Found\n", "200 second", """200 {"message":"Hello, World!"}""",
        }));
    }

    [Test]
    public void ConnectionCloseIsHonouredAfterTheResponse()
    {
        var (response, rest) = Serve(async c =>
        {
            Send(c, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            return (await HttpResponse.ReadAsync(c), await HttpResponse.ReadToCloseAsync(c));
        });

        Assert.That(response.Header("Connection"), Is.EqualTo("close"));
        Assert.That(rest, Is.Empty, "then the server closes");
    }

    [Test]
    public void Http10ClosesUnlessAskedToKeepAlive()
    {
        var (kept, closed, rest) = Serve(async c =>
        {
            Send(c, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var kept = await HttpResponse.ReadAsync(c);
            Send(c, "GET / HTTP/1.0\r\n\r\n");
            return (kept, await HttpResponse.ReadAsync(c), await HttpResponse.ReadToCloseAsync(c));
        });

        Assert.That(kept.Header("Connection"), Is.EqualTo("keep-alive"));
        Assert.That(closed.Header("Connection"), Is.EqualTo("close"));
        Assert.That(rest, Is.Empty);
    }

    [TestCase("DELETE /echo", "POST")]
    [TestCase("POST /", "GET, HEAD")]
    [TestCase("PUT /json", "GET, HEAD")]
    public void AWrongMethodIs405WithAllow(string request, string allow)
    {
        var response = Serve(async c =>
        {
            Send(c, $"{request} HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            return await HttpResponse.ReadAsync(c);
        });

        Assert.That((response.Status, response.Header("Allow")), Is.EqualTo((405, allow)));
    }

    [Test]
    public void AOneMiBBodyIsEchoedByteForByte()
    {
        var payload = RandomBytes(1024 * 1024, seed: 16);
        var response = Serve(async c =>
        {
            Send(c, $"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: {payload.Length}\r\n\r\n");
            c.Write(payload);
            return await HttpResponse.ReadAsync(c);
        });

        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Body, Is.EqualTo(payload));
    }

    [Test]
    public void ExpectContinueGetsA100BeforeTheBodyIsSent()
    {
        var (interim, final) = Serve(async c =>
        {
            Send(c, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            var interim = await HttpResponse.ReadAsync(c); // the client sends nothing more until this arrives
            Send(c, "body");
            return (interim, await HttpResponse.ReadAsync(c));
        });

        Assert.That((interim.Status, final.Status, final.Text), Is.EqualTo((100, 200, "body")));
    }

    [TestCase("GARBAGE\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [TestCase("GET / HTTP/2.0\r\n\r\n", 505)]
    public void ABadRequestIsAnsweredThenTheConnectionIsClosed(string request, int status)
    {
        var text = Serve(async c =>
        {
            Send(c, request);
            return Encoding.ASCII.GetString(await HttpResponse.ReadToCloseAsync(c));
        });

        Assert.That(text, Does.StartWith($"HTTP/1.1 {status} "));
        Assert.That(text, Does.Contain("\r\nConnection: close\r\n"));
    }

    [Test]
    public void ABodyOverTheLimitIs413EvenWhileTheClientIsStillSending()
    {
        var text = Serve(async c =>
        {
            int length = Limits.MaxBodyBytes + 1;
            Send(c, $"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: {length}\r\n\r\n");
            c.Write(new byte[length]); // sent anyway: the lingering close keeps the answer from being lost to a reset
            return Encoding.ASCII.GetString(await HttpResponse.ReadToCloseAsync(c));
        });

        Assert.That(text, Does.StartWith("HTTP/1.1 413 "));
    }

    [Test]
    public void StatsReportTheLoopAndTheServer()
    {
        var stats = Serve(async c =>
        {
            for (int i = 0; i < 3; i++) Send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            Send(c, "GET /stats HTTP/1.1\r\nHost: t\r\n\r\n");
            for (int i = 0; i < 3; i++) await HttpResponse.ReadAsync(c);
            return JsonDocument.Parse((await HttpResponse.ReadAsync(c)).Body).RootElement;
        });

        Assert.That(stats.GetProperty("http").GetProperty("requests").GetInt64(), Is.EqualTo(4), "three before it, and itself");
        Assert.That(stats.GetProperty("http").GetProperty("connections_open").GetInt64(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("server").GetProperty("connections").GetInt32(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("loop").GetProperty("registered_sockets").GetInt32(), Is.GreaterThanOrEqualTo(2), "the listener and at least the server's side of the connection");
    }
}
