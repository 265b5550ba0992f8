using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Tests.Samples;

/// <summary>
/// The server samples at the edges a user (or an attacker) pushes them to: a port already taken,
/// and a flood of connections far beyond the process's descriptor limit. Blocking sockets with
/// timeouts stand in for the clients: the test thread runs no loop.
/// </summary>
[Platform("Linux")]
[NonParallelizable]
public class ServerLimitsTests
{
    private const int FileLimit = 256;
    private const int Flood = 1000;

    [OneTimeSetUp]
    public void RoomForTheFlood() => OpenFileLimit.RaiseToHardLimit(); // 1,000 client sockets in this process

    [TestCase("echo", "echo-protocol")]
    [TestCase("echo", "echo-sockets")]
    [TestCase("chat", "chat-protocol")]
    public void ASecondServerOnATakenPort_ExitsNonZeroWithOneLineNamingIt(string first, string second)
    {
        using var running = new SampleProcess(first, "--port", "0");
        int port = running.ReadListeningPort();

        using var refused = new SampleProcess(second, "--port", port.ToString());

        Assert.That(refused.WaitForExit(), Is.EqualTo(1));
        Assert.That(refused.Errors, Has.Count.EqualTo(1), string.Join('\n', refused.Errors));
        Assert.That(refused.Errors[0], Does.StartWith($"Cannot listen on 127.0.0.1:{port}: address already in use"), "the reason, not a log line with a stack trace");
        running.Terminate();
        Assert.That(running.WaitForExit(), Is.Zero);
    }

    [TestCase("echo")]
    [TestCase("echo-protocol")]
    [TestCase("echo-sockets")]
    public void AFloodFarBeyondTheDescriptorLimit_EveryClientGetsAnAnswer_AndServiceComesBack(string sample)
    {
        int served = SurviveTheFlood(sample);

        Assert.That(served, Is.LessThanOrEqualTo(FileLimit - 128), "the default connection limit leaves the runtime at least 128 descriptors");
    }

    /// <summary>No connection limit: the server runs out of descriptors, and the reserve descriptor is what answers the rest.</summary>
    [TestCase("echo")]
    [TestCase("echo-sockets")]
    public void WithoutAConnectionLimit_RunningOutOfDescriptorsStillAnswersEveryClient(string sample) =>
        _ = SurviveTheFlood(sample, "--max-connections", "1000000");

    /// <summary>Floods the sample; returns how many of the flood's clients it served.</summary>
    private static int SurviveTheFlood(string sample, params string[] options)
    {
        using var server = SampleProcess.WithFileLimit(FileLimit, [sample, "--port", "0", .. options]);
        var endpoint = new IPEndPoint(IPAddress.Loopback, server.ReadListeningPort());
        var flood = new List<Socket>();
        int served = 0, turnedAway = 0;
        try
        {
            for (int i = 0; i < Flood; i++) flood.Add(Connect(endpoint)); // the kernel completes them all: the backlog is large
            foreach (var client in flood)
            {
                // Echoed, or told at once that it will not be served; never left waiting.
                if (TryRoundTrip(client, "x")) served++;
                else turnedAway++;
            }
            Assert.That(server.HasExited, Is.False, "the server is still running under the flood");
        }
        finally
        {
            foreach (var client in flood) client.Dispose(); // the flood ends
        }
        var back = Stopwatch.StartNew();
        int attempts = 0;
        bool answered = false;
        while (!answered && attempts < 1000)
        {
            attempts++;
            using var client = Connect(endpoint);
            answered = TryRoundTrip(client, "back\n");
        }
        TestContext.Out.WriteLine($"{sample}: {served} served and {turnedAway} turned away during the flood; served again after {attempts} attempt(s), {back.Elapsed.TotalMilliseconds:0} ms after the flood ended");

        Assert.That(served, Is.GreaterThan(0), "some clients were served during the flood");
        Assert.That(answered, Is.True, "a new client is served once the flood is over");
        server.Terminate();
        Assert.That(server.WaitForExit(), Is.Zero, string.Join('\n', server.Errors));
        Assert.That(server.Errors.Where(line => line.Contains(" fail: ") || line.Contains(" crit: ") || line.Contains("PAL_SEH")), Is.Empty);
        return served;
    }

    private static Socket Connect(EndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000, SendTimeout = 10_000 };
        try
        {
            socket.Connect(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True if <paramref name="text"/> came back; false if the server ended the connection. A timeout fails the test.</summary>
    private static bool TryRoundTrip(Socket client, string text)
    {
        var sent = System.Text.Encoding.ASCII.GetBytes(text);
        var received = new byte[sent.Length];
        try
        {
            client.Send(sent);
            int total = 0;
            while (total < received.Length)
            {
                int n = client.Receive(received, total, received.Length - total, SocketFlags.None);
                if (n == 0) return false;
                total += n;
            }
            Assert.That(received, Is.EqualTo(sent));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            return false;
        }
    }
}
