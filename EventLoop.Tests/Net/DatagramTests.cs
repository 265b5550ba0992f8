using System.Net;
using System.Net.Sockets;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests.Net;

[TestFixture(SelectorKind.Default)]
[TestFixture(SelectorKind.SocketSelect)]
public class DatagramTests(SelectorKind selector) : NetTestBase(selector)
{
    private sealed class EchoDatagrams : IDatagramProtocol
    {
        private IDatagramTransport? _transport;
        public void ConnectionMade(IDatagramTransport transport) => _transport = transport;
        public void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from) => _transport!.SendTo(data, from);
    }

    private sealed class Collecting(LoopFuture<string> first) : IDatagramProtocol
    {
        public readonly List<Exception> Errors = new();
        public void ConnectionMade(IDatagramTransport transport) { }
        public void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from) => first.TrySetResult(Encoding.UTF8.GetString(data));
        public void ErrorReceived(Exception error)
        {
            Errors.Add(error);
            first.TrySetException(error);
        }
    }

    [Test]
    public void FromTheWrongThread_TheCallIsRefusedAndThePortIsLeftFree()
    {
        var local = new IPEndPoint(IPAddress.Loopback, FreeUdpPort());

        Assert.Throws<InvalidOperationException>(() =>
            Task.Run(() => Loop.CreateDatagramEndpointAsync(() => new EchoDatagrams(), local)).GetAwaiter().GetResult());

        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.DoesNotThrow(() => probe.Bind(local), "nothing may be left bound to the port");
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [Test]
    public void UdpRoundTrip()
    {
        var reply = Run(async () =>
        {
            var (server, _) = await Loop.CreateDatagramEndpointAsync(() => new EchoDatagrams());
            var got = Loop.CreateFuture<string>();
            var (client, _) = await Loop.CreateDatagramEndpointAsync(() => new Collecting(got), remote: server.LocalEndPoint);
            client.SendTo("datagram"u8);
            var text = await got.Task;
            client.Close();
            server.Close();
            return text;
        });

        Assert.That(reply, Is.EqualTo("datagram"));
    }

    [Test]
    public void AConnectedEndpointHearsThatNobodyListens()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var error = Assert.Throws<SocketException>(() => Run(async () =>
        {
            var got = Loop.CreateFuture<string>();
            var (client, _) = await Loop.CreateDatagramEndpointAsync(() => new Collecting(got), remote: new IPEndPoint(IPAddress.Loopback, port));
            client.SendTo("anyone?"u8);
            try { return await got.Task; }
            finally { client.Close(); }
        }));

        Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
    }

    [Test]
    public void SendToWithoutADestinationOnAnUnconnectedEndpointIsRefused()
    {
        Run(async () =>
        {
            var (endpoint, _) = await Loop.CreateDatagramEndpointAsync(() => new EchoDatagrams());
            Assert.Throws<ArgumentNullException>(() => endpoint.SendTo("x"u8));
            endpoint.Close();
        });
    }

    private sealed class Throwing(LoopFuture<Exception?> lost) : IDatagramProtocol
    {
        public int Received;
        public void ConnectionMade(IDatagramTransport transport) { }
        public void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from)
        {
            Received++;
            throw new FormatException("bad datagram");
        }
        public void ConnectionLost(Exception? error) => lost.TrySetResult(error);
    }

    [Test]
    public void ADatagramProtocolThatThrows_IsReportedWithTheEndpoint_AndClosesIt_LikeEveryTransport()
    {
        var (lostWith, transport, protocol) = Run(async () =>
        {
            var lost = Loop.CreateFuture<Exception?>();
            var (server, protocol) = await Loop.CreateDatagramEndpointAsync(() => new Throwing(lost));
            var (client, _) = await Loop.CreateDatagramEndpointAsync(() => new EchoDatagrams(), remote: server.LocalEndPoint);
            client.SendTo("one"u8);
            var error = await lost.Task;
            server.SendTo("dropped after close"u8, client.LocalEndPoint); // the rule of every transport: silently dropped
            client.Close();
            return (error, server, protocol);
        });

        Assert.That(lostWith, Is.TypeOf<FormatException>());
        Assert.That(protocol.Received, Is.EqualTo(1));
        var report = Reported.Single();
        Assert.That(report.Message, Does.Contain("DatagramReceived"));
        Assert.That(report.Source, Does.Contain(nameof(Throwing)).And.Contain(transport.LocalEndPoint!.ToString()));
    }

    [Test]
    public void SendingFromAnotherThread_IsRefusedUpFront()
    {
        var endpoint = Run(async () => (await Loop.CreateDatagramEndpointAsync(() => new EchoDatagrams())).Transport);

        var refused = FromAnotherThread.Refused(
            ("SendTo", () => endpoint.SendTo("x"u8, endpoint.LocalEndPoint)),
            ("Close", endpoint.Close),
            ("Abort", endpoint.Abort));

        Assert.That(refused, Is.EqualTo(new[] { "SendTo", "Close", "Abort" }));
        endpoint.Close();
    }
}
