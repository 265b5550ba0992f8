using System.Net;
using System.Net.Sockets;
using EventLoop.Samples.Echo;
using EventLoop.Tests.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Tests.Samples;

/// <summary>The asyncore-style <see cref="Dispatcher"/>: its registration with the loop follows Readable/Writable after every event.</summary>
public class DispatcherTests : NetTestBase
{
    /// <summary>Wants what the test says; counts its events.</summary>
    private sealed class Probe(Loop loop, Socket socket, DispatcherMap map) : Dispatcher(loop, socket, map, NullLogger.Instance)
    {
        public bool WantRead = true, WantWrite;
        public int Reads, Writes;
        public Action? OnWrite;

        public override bool Readable() => WantRead;
        public override bool Writable() => WantWrite;

        protected override void HandleRead()
        {
            Reads++;
            Receive(new byte[64]);
        }

        protected override void HandleWrite()
        {
            Writes++;
            OnWrite?.Invoke();
        }
    }

    private static (Socket Ours, Socket Peer) ConnectedPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Connect(listener.LocalEndPoint!);
        return (listener.Accept(), peer);
    }

    private void Iterations(int count)
    {
        for (int i = 0; i < count; i++) Loop.RunOnce(TimeSpan.FromMilliseconds(50));
    }

    [Test]
    public void WritingStopsWhenWritableSaysNoAndResumesAfterTheNextEventIfItSaysYes()
    {
        var (ours, peer) = ConnectedPair();
        using var _ = peer;
        var map = new DispatcherMap();
        var probe = new Probe(Loop, ours, map) { WantWrite = true };
        probe.OnWrite = () => probe.WantWrite = false; // one write, then nothing more to send
        probe.Start();

        Iterations(5);
        Assert.That(probe.Writes, Is.EqualTo(1), "a writable socket is reported once, then the writer is removed");

        probe.WantWrite = true; // noticed only after the next event, as asyncore does
        Iterations(3);
        Assert.That(probe.Writes, Is.EqualTo(1));

        peer.Send([1]);
        Iterations(5);
        Assert.That((probe.Reads, probe.Writes), Is.EqualTo((1, 2)), "after the read, the registration followed Writable() again");
        map.CloseAll();
        Assert.That(Loop.RegisteredSocketCount, Is.Zero);
    }

    [Test]
    public void ReadingWaitsWhileReadableSaysNo()
    {
        var (ours, peer) = ConnectedPair();
        using var _ = peer;
        var map = new DispatcherMap();
        var probe = new Probe(Loop, ours, map) { WantRead = false, WantWrite = true };
        // The writes are the events after which the registration is looked at again.
        probe.OnWrite = () => { if (probe.Writes == 3) (probe.WantRead, probe.WantWrite) = (true, false); };
        peer.Send([1, 2, 3]);
        probe.Start();

        Iterations(2);
        Assert.That((probe.Reads, probe.Writes), Is.EqualTo((0, 2)), "data waits in the kernel while the dispatcher does not want to read");

        Iterations(5);
        Assert.That((probe.Reads, probe.Writes), Is.EqualTo((1, 3)));
        map.CloseAll();
    }

    [Test]
    public void AtTheEndOfTheStreamHandleCloseRunsAndCloseUnregisters()
    {
        var (ours, peer) = ConnectedPair();
        var map = new DispatcherMap();
        var probe = new Probe(Loop, ours, map);
        probe.Start();
        Assert.That(map.Count, Is.EqualTo(1));

        peer.Shutdown(SocketShutdown.Send);
        peer.Dispose();
        Iterations(5);

        Assert.That(probe.IsClosed, Is.True);
        Assert.That(map.Count, Is.Zero);
        Assert.That(Loop.RegisteredSocketCount, Is.Zero);
    }
}
