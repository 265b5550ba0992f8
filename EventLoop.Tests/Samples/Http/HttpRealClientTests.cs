using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventLoop.Tests.Samples.Http;

/// <summary>
/// The http sample as a user runs it (its own process), checked with real clients: curl and
/// ApacheBench. Each test is skipped with a clear message when its tool is missing. The process
/// is stopped with SIGTERM and must exit 0.
/// </summary>
[Platform("Linux")]
[NonParallelizable]
public class HttpRealClientTests
{
    private SampleProcess _server = null!;
    private string _url = null!;
    private int _port;

    [OneTimeSetUp]
    public void StartServer()
    {
        _server = new SampleProcess("http", "--port", "0");
        _port = _server.ReadListeningPort();
        _url = $"http://127.0.0.1:{_port}";
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _server.Terminate();
        int exitCode = _server.WaitForExit();
        _server.Dispose();
        Assert.That(exitCode, Is.Zero, "http exits 0 on SIGTERM");
    }

    [Test]
    public void CurlGetsHelloWorld()
    {
        Tool.Require("curl", "curl");
        var (exit, stdout, _) = Tool.Run("curl", "-s", "-i", _url + "/");
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Does.StartWith("HTTP/1.1 200 OK\r\n"));
        Assert.That(stdout, Does.Contain("\r\nContent-Length: 13\r\n").And.EndsWith("\r\n\r\nHello, World!"));
    }

    [Test]
    public void CurlHeadGetsTheHeadersOnly()
    {
        Tool.Require("curl", "curl");
        var (exit, stdout, _) = Tool.Run("curl", "-s", "-I", _url + "/json");
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Does.StartWith("HTTP/1.1 200 OK\r\n").And.Contain("\r\nContent-Length: 27\r\n").And.EndsWith("\r\n\r\n"));
    }

    [Test]
    public void CurlPostsOneMiBToEchoAndGetsItBack()
    {
        Tool.Require("curl", "curl");
        var body = new byte[1024 * 1024];
        new Random(1616).NextBytes(body);
        string sent = Path.GetTempFileName(), back = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(sent, body);
            var (exit, stdout, stderr) = Tool.Run("curl", "-s", "-o", back, "-w", "%{http_code}", "--data-binary", "@" + sent, _url + "/echo");
            Assert.That((exit, stdout), Is.EqualTo((0, "200")), stderr);
            Assert.That(File.ReadAllBytes(back), Is.EqualTo(body));
        }
        finally
        {
            File.Delete(sent);
            File.Delete(back);
        }
    }

    [Test]
    public void CurlReusesOneConnectionForTwoRequests()
    {
        Tool.Require("curl", "curl");
        var (exit, stdout, stderr) = Tool.Run("curl", "-s", "-v", _url + "/", _url + "/json");
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Is.EqualTo("Hello, World!" + """{"message":"Hello, World!"}"""));
        Assert.That(stderr, Does.Contain("Re-using existing connection"), "curl kept the connection alive for the second URL");
        Assert.That(stderr.Split("Connected to").Length - 1, Is.EqualTo(1), "one TCP connection");
    }

    [Test]
    public void CurlWithNineKiBOfHeadersGets431()
    {
        Tool.Require("curl", "curl");
        var (exit, stdout, _) = Tool.Run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Big: " + new string('a', 9 * 1024), _url + "/");
        Assert.That((exit, stdout), Is.EqualTo((0, "431")));
    }

    [Test]
    public void AMalformedRequestGets400AndTheConnectionIsClosed()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, _port));
        socket.Send("THIS IS NOT HTTP\r\n\r\n"u8);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0) received.Write(buffer, 0, n); // returns 0 only once the server closes
        Assert.That(Encoding.ASCII.GetString(received.ToArray()), Does.StartWith("HTTP/1.1 400 Bad Request\r\n").And.Contain("\r\nConnection: close\r\n"));
    }

    /// <summary>20,000 keep-alive requests, 50 at a time (about a second here).</summary>
    [Test]
    public void ApacheBenchKeepAliveHasNoFailures()
    {
        Tool.Require("ab", "apache2-utils");
        var (exit, stdout, stderr) = Tool.Run("ab", "-q", "-k", "-n", "20000", "-c", "50", _url + "/");
        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.Match(@"Complete requests:\s+20000\b"));
        Assert.That(stdout, Does.Match(@"Failed requests:\s+0\b"));
        Assert.That(stdout, Does.Match(@"Keep-Alive requests:\s+20000\b"), "every request on a kept-alive connection");
        Assert.That(stdout, Does.Not.Contain("Non-2xx responses"));
    }
}
