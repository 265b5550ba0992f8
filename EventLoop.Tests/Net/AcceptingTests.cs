using System.Net;
using System.Net.Sockets;
using System.Text;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Tests.Net;

/// <summary>How servers accept: bursts absorbed, batches that starve nobody, the connection limit, waits for the end that stay independent.</summary>
[TestFixture("streams")]
[TestFixture("protocols")]
public class AcceptingTests(string style) : NetTestBase
{
    private sealed class EchoProtocol : IProtocol
    {
        private ITransport? _transport;
        public void ConnectionMade(ITransport transport) => _transport = transport;
        public void DataReceived(ReadOnlySpan<byte> data) => _transport!.Write(data);
        public void ConnectionLost(Exception? error) { }
    }

    private readonly List<Socket> _clients = new();

    [TearDown]
    public void CloseClients()
    {
        foreach (var socket in _clients) socket.Dispose();
        _clients.Clear();
    }

    private LoopTask<Server> StartEchoAsync(ServerOptions? options = null) => style == "streams"
        ? Loop.StartServerAsync(EchoHandler, Loopback0, options)
        : Loop.CreateServerAsync(() => new EchoProtocol(), Loopback0, options);

    private Socket NewClient()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _clients.Add(socket);
        return socket;
    }

    private static async LoopTask RoundTripAsync(Connection connection, string text)
    {
        connection.WriteLine(text);
        Assert.That(await connection.ReadLineAsync(), Is.EqualTo(text));
    }

    [Test, Platform("Linux")]
    public void ABurstOf500Connects_IsAbsorbedWithoutASingleRetransmission()
    {
        OpenFileLimit.RaiseToHardLimit(); // both ends of 500 connections live in this process
        const int count = 500;
        Run(async () =>
        {
            var server = await StartEchoAsync();
            async LoopTask ClientAsync(Socket socket)
            {
                await Loop.ConnectAsync(socket, server.LocalEndPoint);
                await Loop.SendAllAsync(socket, "x"u8.ToArray());
                Assert.That(await Loop.ReceiveAsync(socket, new byte[1]), Is.EqualTo(1));
            }
            // Every connect is issued in this one step, before the server accepts any of them.
            var clients = Enumerable.Range(0, count).Select(_ => ClientAsync(NewClient())).ToArray();
            await Loop.WhenAll(clients);
            server.AbortClients();
            server.Close();
        });

        // A connect the listener's full queue dropped is retried by the client after a second:
        // that is one retransmission, visible in its tcp_info, whatever the clock did.
        var retried = _clients.Where(socket => TcpInfo.Retransmissions(socket) > 0).ToList();
        Assert.That(retried.Count, Is.Zero, $"of {count} clients, this many sent something twice");
    }

    [Test, Platform("Linux")]
    public void ABusyListenerTakesOneBatchPerIteration_AndAnotherListenerIsServedInTheSameIteration()
    {
        var busy = Loop.RunUntilComplete(StartEchoAsync());
        var quiet = Loop.RunUntilComplete(StartEchoAsync());
        Loop.RunUntilIdle();
        for (int i = 0; i < 250; i++) NewClient().Connect(busy.LocalEndPoint);
        NewClient().Connect(quiet.LocalEndPoint);
        TcpInfo.WaitForAcceptQueue(busy.LocalEndPoint, 250);
        TcpInfo.WaitForAcceptQueue(quiet.LocalEndPoint, 1);

        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(busy.ConnectionCount, Is.EqualTo(100), "one batch from the busy listener");
        Assert.That(quiet.ConnectionCount, Is.EqualTo(1), "the other listener's client did not wait behind the burst");
        for (int i = 0; i < 10 && busy.ConnectionCount < 250; i++) Loop.RunOnce(TimeSpan.Zero);
        Assert.That(busy.ConnectionCount, Is.EqualTo(250), "the rest in the following iterations");
        busy.Close();
        quiet.Close();
    }

    [Test]
    public void OverMaxConnections_ANewClientIsClosedAtOnce_AndServedOnceAnotherHasFinished()
    {
        Run(async () =>
        {
            var server = await StartEchoAsync(new ServerOptions { MaxConnections = 2 });
            var first = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            await RoundTripAsync(first, "one");
            var second = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            await RoundTripAsync(second, "two");

            var third = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            Assert.That(await third.ReadAsync(new byte[16]), Is.Zero, "over the limit: the connection ends at once instead of waiting in the backlog");

            await first.CloseAsync();
            while (server.ConnectionCount > 1) await Loop.Yield();
            var fourth = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            await RoundTripAsync(fourth, "four");

            foreach (var connection in new[] { second, third, fourth }) await connection.CloseAsync();
            server.Close();
            await server.WaitClosedAsync();
        });

        var logged = Logs.Entries.Where(e => e.Level >= LogLevel.Information).Select(e => (e.Level, e.Message)).ToList();
        Assert.That(logged.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("MaxConnections")), Is.EqualTo(1), "one warning when the limit is reached, not one per connection");
        Assert.That(logged.Any(e => e.Level == LogLevel.Information && e.Message.Contains("1 were closed")), Is.True, string.Join('\n', logged));
    }

    [Test]
    public void ACancelledOrTimedOutWaitClosed_LeavesEveryOtherWaitAsItWas()
    {
        Run(async () =>
        {
            var server = await StartEchoAsync();
            try
            {
                await Loop.WaitForAsync(server.WaitClosedAsync(), TimeSpan.FromMilliseconds(5));
                Assert.Fail("the server is still open: the wait must time out");
            }
            catch (TimeoutException)
            {
            }
            var cancelled = server.WaitClosedAsync();
            var patient = server.WaitClosedAsync();
            cancelled.Cancel();

            server.Close();

            await patient;                   // not "The future was cancelled"
            await server.WaitClosedAsync();  // and later waits complete at once
            try
            {
                await cancelled;
                Assert.Fail("the cancelled wait must end cancelled");
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    [Test]
    public void EveryServerMemberRefusesTheWrongThread()
    {
        var server = Loop.RunUntilComplete(StartEchoAsync());
        Action[] calls = [server.Close, () => server.WaitClosedAsync(), server.CloseClients, server.AbortClients];

        foreach (var call in calls)
            Assert.Throws<InvalidOperationException>(() => Task.Run(call).GetAwaiter().GetResult());

        Assert.That(server.IsServing, Is.True);
        server.Close();
    }
}
