using System.Net;
using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Tests.Net;

[TestFixture(SelectorKind.Default)]
[TestFixture(SelectorKind.SocketSelect)]
public class SocketAwaitTests(SelectorKind selector)
{
    private Loop _loop = null!;

    [SetUp]
    public void CreateLoop() => _loop = new Loop(new LoopOptions { Selector = SelectorKinds.Create(selector) });

    [TearDown]
    public void DisposeLoopAndSockets()
    {
        _loop.Dispose();
        foreach (var socket in _connected) socket.Dispose();
        _connected.Clear();
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        return listener;
    }

    private static Socket NewTcp() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    private readonly List<Socket> _connected = new();

    /// <summary>A connected loopback pair (client side, accepted side), disposed after the test.</summary>
    private (Socket Client, Socket Accepted) Connected()
    {
        using var listener = Listen();
        var client = NewTcp();
        _connected.Add(client);
        client.Connect(listener.LocalEndPoint!);
        var accepted = listener.Accept();
        _connected.Add(accepted);
        return (client, accepted);
    }

    [Test]
    public void AcceptConnectSendReceive_EchoOneMessage()
    {
        using var listener = Listen();
        var endpoint = listener.LocalEndPoint!;

        async LoopTask Server()
        {
            using var client = await _loop.AcceptAsync(listener);
            var buffer = new byte[64];
            int n = await _loop.ReceiveAsync(client, buffer);
            await _loop.SendAllAsync(client, buffer.AsMemory(0, n));
        }

        async LoopTask<string> Client()
        {
            using var socket = NewTcp();
            await _loop.ConnectAsync(socket, endpoint);
            await _loop.SendAllAsync(socket, "ping"u8.ToArray());
            var buffer = new byte[64];
            int n = await _loop.ReceiveAsync(socket, buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }

        var server = _loop.Spawn(Server);
        Assert.That(_loop.RunUntilComplete(Client()), Is.EqualTo("ping"));
        _loop.RunUntilComplete(server);
        Assert.That(_loop.RegisteredSocketCount, Is.Zero, "every readiness registration was removed");
    }

    [Test]
    public void ConnectRefused_ThrowsConnectionRefused()
    {
        int port;
        using (var closed = Listen()) port = ((IPEndPoint)closed.LocalEndPoint!).Port; // nothing listens there now

        using var socket = NewTcp();
        var error = Assert.Throws<SocketException>(() =>
            _loop.RunUntilComplete(_loop.ConnectAsync(socket, new IPEndPoint(IPAddress.Loopback, port))));

        Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
    }

    [Test]
    public void ReceiveAfterThePeerClosed_ReturnsZero()
    {
        var (client, accepted) = Connected();
        client.Shutdown(SocketShutdown.Send);

        int n = _loop.RunUntilComplete(_loop.ReceiveAsync(accepted, new byte[16]));

        Assert.That(n, Is.Zero);
    }

    [Test]
    public void CancellingAPendingReceive_RemovesTheRegistration()
    {
        var (client, accepted) = Connected();

        var receive = _loop.ReceiveAsync(accepted, new byte[16]);
        _loop.RunOnce(TimeSpan.Zero);
        Assert.That(_loop.RegisteredSocketCount, Is.EqualTo(1));

        receive.Cancel();
        Assert.Throws<OperationCanceledException>(() => _loop.RunUntilComplete(receive));
        Assert.That(_loop.RegisteredSocketCount, Is.Zero);
    }

    [Test]
    public void WaitReadable_EndsWhenDataArrives_AndLeavesItUnread()
    {
        var (client, accepted) = Connected();
        accepted.Blocking = false;

        var readable = _loop.WaitReadableAsync(accepted);
        _loop.RunOnce(TimeSpan.Zero);
        Assert.That(readable.IsCompleted, Is.False, "nothing sent yet");

        client.Send("hey"u8.ToArray());
        _loop.RunUntilComplete(readable);

        Assert.That(_loop.RegisteredSocketCount, Is.Zero, "a one-shot wait");
        var buffer = new byte[8];
        Assert.That(accepted.Receive(buffer), Is.EqualTo(3));
        Assert.That(buffer[..3], Is.EqualTo("hey"u8.ToArray()));
    }

    [Test]
    public void WaitReadableAgainAndAgain_EachWaitEndsOnlyWithNewData()
    {
        // The waits reuse their bookkeeping; each one must still wait for its own data.
        var (client, accepted) = Connected();
        accepted.Blocking = false;
        var buffer = new byte[8];

        for (int i = 0; i < 5; i++)
        {
            var readable = _loop.WaitReadableAsync(accepted);
            _loop.RunOnce(TimeSpan.Zero);
            Assert.That(readable.IsCompleted, Is.False, $"wait {i} ended before its data");
            client.Send(new[] { (byte)i });
            _loop.RunUntilComplete(readable);
            Assert.That(accepted.Receive(buffer), Is.EqualTo(1));
            Assert.That(buffer[0], Is.EqualTo(i));
        }
    }

    [Test]
    public void WaitWritable_EndsAtOnceOnAConnectedSocket()
    {
        using var listener = Listen();
        using var client = NewTcp();
        client.Connect(listener.LocalEndPoint!);

        _loop.RunUntilComplete(_loop.WaitWritableAsync(client));

        Assert.That(_loop.RegisteredSocketCount, Is.Zero);
    }

    [Test]
    public void ACancellationTokenCancelsAPendingAccept()
    {
        using var listener = Listen();
        using var cts = new CancellationTokenSource();
        var accept = _loop.AcceptAsync(listener, cts.Token);
        _loop.CallLater(TimeSpan.FromMilliseconds(1), cts.Cancel);

        Assert.Throws<OperationCanceledException>(() => _loop.RunUntilComplete(accept));
        Assert.That(_loop.RegisteredSocketCount, Is.Zero);
    }

    [Test, Platform("Linux")]
    public void AcceptHandsOutWhatOneReadinessBroughtAsABatch_AndWaitsForTheNextEventForMore()
    {
        using var listener = ServerSocket.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        for (int i = 0; i < 150; i++)
        {
            var client = NewTcp();
            _connected.Add(client);
            client.Connect(listener.LocalEndPoint!);
        }
        TcpInfo.WaitForAcceptQueue(listener.LocalEndPoint!, 150);
        var accepted = new List<Socket>();
        async LoopTask AcceptForever()
        {
            while (true) accepted.Add(await _loop.AcceptAsync(listener));
        }

        var accepting = _loop.Spawn(AcceptForever); // runs until its first real wait

        Assert.That(accepted, Has.Count.EqualTo(100), "one batch without waiting, then the loop gets its turn");
        for (int i = 0; i < 10 && accepted.Count < 150; i++) _loop.RunOnce(TimeSpan.Zero);
        Assert.That(accepted, Has.Count.EqualTo(150), "the rest at the next readiness");
        accepting.Cancel();
        _loop.RunUntilIdle();
        _connected.AddRange(accepted);
    }

    [Test]
    public void AcceptOnAClosedListenerThrowsObjectDisposed()
    {
        var listener = ServerSocket.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _loop.RunUntilComplete(_loop.AcceptAsync(listener)));
    }

    [Test]
    public void SendAllToAReaderThatIsSlowWaitsForSpaceAndLosesNothing()
    {
        var (client, accepted) = Connected();
        var data = new byte[4 * 1024 * 1024];
        new Random(1).NextBytes(data);

        async LoopTask<byte[]> ReadAll()
        {
            var received = new MemoryStream();
            var buffer = new byte[8192];
            while (received.Length < data.Length)
            {
                int n = await _loop.ReceiveAsync(accepted, buffer);
                if (n == 0) break;
                received.Write(buffer, 0, n);
            }
            return received.ToArray();
        }

        var send = _loop.SendAllAsync(client, data); // far more than the socket buffers hold
        var read = ReadAll();
        _loop.RunUntilComplete(send);

        Assert.That(_loop.RunUntilComplete(read), Is.EqualTo(data));
    }
}
