using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventLoop.Tests.Samples;

/// <summary>
/// Each sample as a user runs it: the real executable, a real socket, then SIGTERM (a graceful
/// stop; see <see cref="SampleProcess"/> for why not SIGINT); it must exit 0. Blocking sockets with timeouts stand in for a user's client here: the test thread
/// is not running a loop.
/// </summary>
[Platform("Linux")]
[NonParallelizable]
public class SampleProcessTests
{
    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000, SendTimeout = 10_000 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static string ReceiveText(Socket socket, int atLeast)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (Encoding.UTF8.GetByteCount(received.ToString()) < atLeast)
        {
            int n = socket.Receive(buffer);
            if (n == 0) break;
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return received.ToString();
    }

    [TestCase("echo")]
    [TestCase("echo-protocol")]
    [TestCase("echo-sockets")]
    public void EchoServersEchoAndExitZeroOnSigterm(string sample)
    {
        using var process = new SampleProcess(sample, "--port", "0");
        int port = process.ReadListeningPort();
        using var socket = Connect(port);
        socket.Send("hello\n"u8);
        Assert.That(ReceiveText(socket, Encoding.UTF8.GetByteCount("hello\n")), Is.EqualTo("hello\n"));

        process.Terminate();

        Assert.That(socket.Receive(new byte[16]), Is.Zero, "an echo server closes without a goodbye: the client reads the end of the stream");
        Assert.That(process.WaitForExit(), Is.Zero);
    }

    [TestCase("chat")]
    [TestCase("chat-protocol")]
    public void ChatServersSayGoodbyeAndExitZeroOnSigterm(string sample)
    {
        using var process = new SampleProcess(sample, "--port", "0", "--name", "Proc Chat");
        int port = process.ReadListeningPort();
        using var socket = Connect(port);
        Assert.That(ReceiveText(socket, Encoding.UTF8.GetByteCount("Welcome to Proc Chat\nEnter username: ")), Is.EqualTo("Welcome to Proc Chat\nEnter username: "));
        socket.Send("pat\n"u8);
        Assert.That(ReceiveText(socket, Encoding.UTF8.GetByteCount("User 'pat' has joined the room\n")), Is.EqualTo("User 'pat' has joined the room\n"));
        using var unnamed = Connect(port);
        Assert.That(ReceiveText(unnamed, Encoding.UTF8.GetByteCount("Welcome to Proc Chat\nEnter username: ")), Is.EqualTo("Welcome to Proc Chat\nEnter username: "));

        process.Terminate();

        foreach (var client in new[] { socket, unnamed })
        {
            Assert.That(ReceiveText(client, Encoding.UTF8.GetByteCount("Server is shutting down.\n")), Is.EqualTo("Server is shutting down.\n"));
            Assert.That(client.Receive(new byte[16]), Is.Zero, "then the server closes the connection");
        }
        Assert.That(process.WaitForExit(), Is.Zero);
    }

    [Test]
    public void TheClientTalksToTheChatServerAndExitsAtEndOfInput()
    {
        using var server = new SampleProcess("chat", "--port", "0");
        int port = server.ReadListeningPort();
        using var client = new SampleProcess("client", "--port", port.ToString());

        client.WriteLine("quinn");
        client.WriteLine("hi all");
        Assert.That(client.ReadLine(), Is.EqualTo("Welcome to EventLoop Chat"));
        Assert.That(client.ReadLine(), Is.EqualTo("Enter username: User 'quinn' has joined the room"));
        Assert.That(client.ReadLine(), Is.EqualTo("quinn: hi all"));

        client.CloseInput();
        Assert.That(client.WaitForExit(), Is.Zero);
        server.Terminate();
        Assert.That(server.WaitForExit(), Is.Zero);
    }

    [Test]
    public void FibPrintsResultsAndTicksAndExitsZero()
    {
        using var process = new SampleProcess("fib", "--from", "25", "--to", "27", "--interval", "0.01");
        var lines = new List<string>();
        while (lines.Count(l => l.StartsWith("fib(")) < 3) lines.Add(process.ReadLine());

        Assert.That(lines.Where(l => l.StartsWith("fib(")), Is.EqualTo(new[] { "fib(25) = 75025", "fib(26) = 121393", "fib(27) = 196418" }));
        Assert.That(process.WaitForExit(), Is.Zero);
    }

    [Test]
    public void EchoHiThroughTheClientPrintsHi_LikeNc()
    {
        using var server = new SampleProcess("echo", "--port", "0");
        int port = server.ReadListeningPort();
        using var client = new SampleProcess("client", "--host", "localhost", "--port", port.ToString());

        client.WriteLine("hi");
        client.CloseInput(); // `echo hi | client`: the input ends at once

        Assert.That(client.ReadLine(), Is.EqualTo("hi"));
        Assert.That(client.WaitForExit(), Is.Zero);
        server.Terminate();
        Assert.That(server.WaitForExit(), Is.Zero);
    }

    [Test]
    public void AtTheEndOfItsInputTheClientHalfClosesAndPrintsWhatTheServerSendsAfterwards()
    {
        // A server that answers only once the client has finished sending: the reply can arrive
        // only after the client's end of input, so a client that quit there would print nothing.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new SampleProcess("client", "--port", ((IPEndPoint)listener.LocalEndPoint!).Port.ToString());
        client.WriteLine("one");
        client.WriteLine("two");
        client.CloseInput();

        using var accepted = listener.Accept();
        accepted.ReceiveTimeout = 10_000;
        string received = ReceiveText(accepted, int.MaxValue); // to the client's half-close
        accepted.Send(Encoding.UTF8.GetBytes($"got {received.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} lines\n"));
        accepted.Shutdown(SocketShutdown.Both);

        Assert.That(received, Is.EqualTo("one\ntwo\n"));
        Assert.That(client.ReadLine(), Is.EqualTo("got 2 lines"));
        Assert.That(client.WaitForExit(), Is.Zero);
    }

    [Test]
    public void AClientThatCannotConnectSaysSoInOneLineAndExitsOne()
    {
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // a port nobody listens on
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        using var client = new SampleProcess("client", "--port", closedPort.ToString());

        Assert.That(client.WaitForExit(), Is.EqualTo(1));
        Assert.That(client.Errors, Is.EqualTo(new[] { $"client: cannot connect to 127.0.0.1:{closedPort}: Connection refused." }));
    }

    [Test]
    public void AUsageErrorIsOneLineOnStandardErrorAndExitCodeTwo()
    {
        using var process = new SampleProcess("counter", "--interval", "0");

        Assert.That(process.WaitForExit(), Is.EqualTo(2));
        Assert.That(process.Errors, Is.EqualTo(new[] { "counter: --interval must be a number of seconds above 0 and at most 86400 (got 0)." }));
        Assert.That(process.ReadRemainingLines(), Is.Empty, "no help text on standard output");
    }

    [TestCase("chat")]
    [TestCase("chat-protocol")]
    public void ARealNcClientWithCrlfLineEndingsChats(string sample)
    {
        if (!File.Exists("/usr/bin/nc") && !File.Exists("/bin/nc")) Assert.Ignore("nc is not installed (Debian: apt-get install netcat-openbsd)");
        using var server = new SampleProcess(sample, "--port", "0");
        int port = server.ReadListeningPort();
        var start = new System.Diagnostics.ProcessStartInfo("nc", ["-C", "-N", "127.0.0.1", port.ToString()])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var nc = System.Diagnostics.Process.Start(start)!;
        nc.StandardInput.Write("ncuser\n" + new string('x', 4096) + "\nhello\n"); // -C sends each line with CRLF
        nc.StandardInput.Close();                                                   // -N: then half-close

        var output = nc.StandardOutput.ReadToEndAsync();
        Assert.That(nc.WaitForExit(30_000), Is.True, "nc ended once the server closed");
        Assert.That(output.Result, Is.EqualTo(
            "Welcome to EventLoop Chat\nEnter username: User 'ncuser' has joined the room\n" +
            $"ncuser: {new string('x', 4096)}\nncuser: hello\n"));
        server.Terminate();
        Assert.That(server.WaitForExit(), Is.Zero);
    }
}
