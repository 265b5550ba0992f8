using System.Net;
using System.Net.Sockets;
using System.Text;
using EventLoop.Samples.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventLoop.Tests.Samples;

[NonParallelizable]
public class HostSampleTests
{
    private static string ReadLine(Socket socket)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (socket.Receive(one) == 1 && one[0] != (byte)'\n') line.Append((char)one[0]);
        return line.ToString();
    }

    [Test]
    public void TheHostRunsChatOnItsLoopThread_AnnouncesThroughTheThreadSafeApi_AndStopsCleanly()
    {
        // Real time: the announcement comes from the host's PeriodicTimer on the thread pool,
        // which is the point of the sample. 50 ms interval, bounded waits.
        var options = new ChatHostOptions(new IPEndPoint(IPAddress.Loopback, 0), "Hosted", TimeSpan.FromMilliseconds(50));
        using var host = HostSample.Build(options, ["--Logging:LogLevel:Default=Warning"]); // a passing test prints no logs
        host.Start();
        var chat = host.Services.GetRequiredService<ChatHostedService>();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        socket.Connect(chat.LocalEndPoint!);
        Assert.That(ReadLine(socket), Is.EqualTo("Welcome to Hosted"));
        socket.Send("hana\n"u8);
        Assert.That(ReadLine(socket), Is.EqualTo("Enter username: User 'hana' has joined the room"));
        Assert.That(ReadLine(socket), Does.StartWith("server: The time is "));

        Assert.That(host.StopAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);

        string rest;
        do rest = ReadLine(socket); while (rest.StartsWith("server: "));
        Assert.That(rest, Is.EqualTo("Server is shutting down."));
        Assert.That(socket.Receive(new byte[1]), Is.Zero);
    }

    [TestCase(true, TestName = "TheRealHostProcessExitsZeroOnCtrlC")]
    [TestCase(false, TestName = "TheRealHostProcessExitsZeroOnSigterm")]
    [Platform("Linux")]
    public void TheRealHostProcessStopsCleanlyOnASignal(bool ctrlC)
    {
        // The host's own console lifetime handles both signals; Ctrl+C gets a default SIGINT disposition whatever this run inherited.
        using var process = ctrlC ? SampleProcess.WithDefaultSigint("host", "--port", "0") : new SampleProcess("host", "--port", "0");
        int port = process.ReadListeningPort();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 })
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            Assert.That(ReadLine(socket), Is.EqualTo("Welcome to EventLoop Chat"));
        }

        if (ctrlC) process.Interrupt();
        else process.Terminate();

        Assert.That(process.WaitForExit(), Is.Zero);
    }
}
