using System.Net;
using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Tests.Net;

/// <summary>How servers bind and listen: no silent port sharing, clear errors, nothing bound by a refused call, a backlog that absorbs bursts.</summary>
[TestFixture("streams")]
[TestFixture("protocols")]
public class ListenTests(string style) : NetTestBase
{
    private sealed class Silent : IProtocol
    {
        public void ConnectionMade(ITransport transport) { }
        public void DataReceived(ReadOnlySpan<byte> data) { }
        public void ConnectionLost(Exception? error) { }
    }

    private LoopTask<Server> StartAsync(EndPoint? endpoint, ServerOptions? options = null) => style == "streams"
        ? Loop.StartServerAsync(EchoHandler, endpoint, options)
        : Loop.CreateServerAsync(() => new Silent(), endpoint, options);

    private Server Start(EndPoint? endpoint, ServerOptions? options = null) => Loop.RunUntilComplete(StartAsync(endpoint, options));

    [Test]
    public void ASecondServerOnAPortInUseFails_NamingTheEndpoint()
    {
        using var first = Start(Loopback0);

        var error = Assert.Throws<SocketException>(() => Start(first.LocalEndPoint));

        Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.AddressAlreadyInUse));
        Assert.That(error.Message, Does.Contain("address already in use").And.Contain(first.LocalEndPoint.ToString()));
    }

    [Test]
    public void AnotherSocketAskingForSoReusePortCannotJoinAServerThatDidNot()
    {
        // The attack in the report: any process of the same user could take half the connections.
        using var server = Start(Loopback0);
        using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        intruder.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // .NET: SO_REUSEADDR and SO_REUSEPORT

        var error = Assert.Throws<SocketException>(() => intruder.Bind(server.LocalEndPoint));

        Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.AddressAlreadyInUse));
    }

    [Test]
    public void WithReusePortOnBothSides_BothBindTheSamePort()
    {
        var sharing = new ServerOptions { ReusePort = true };
        using var first = Start(Loopback0, sharing);
        using var second = Start(first.LocalEndPoint, sharing);

        Assert.That(second.LocalEndPoint, Is.EqualTo(first.LocalEndPoint));
    }

    [Test]
    public void FromTheWrongThread_TheCallIsRefusedAndNothingIsLeftListening()
    {
        var endpoint = FreeLoopbackEndPoint();

        var error = Assert.Throws<InvalidOperationException>(() =>
            Task.Run(() => StartAsync(endpoint)).GetAwaiter().GetResult());

        Assert.That(error!.Message, Does.Contain("loop's own thread"));
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = Assert.Throws<SocketException>(() => probe.Connect(endpoint), "nothing may listen on the port");
        Assert.That(refused!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
    }

    [Test]
    public void TheDefaultBacklogIsTheSystemMaximum_AndABacklogOfZeroIsRefused()
    {
        Assert.That(new ServerOptions().Backlog, Is.EqualTo(ServerOptions.SystemMaxBacklog));
        if (OperatingSystem.IsLinux())
            Assert.That(ServerOptions.SystemMaxBacklog, Is.EqualTo(int.Parse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim())));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ServerOptions { Backlog = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ServerOptions { MaxConnections = 0 });
    }

    /// <summary>A port nobody listens on right now: bound, read, released.</summary>
    private static IPEndPoint FreeLoopbackEndPoint()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}
