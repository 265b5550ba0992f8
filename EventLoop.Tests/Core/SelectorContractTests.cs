using System.Net.Sockets;

namespace EventLoop.Tests.Core;

/// <summary>
/// What every <see cref="ISelector"/> must do, checked on the selector alone (no loop), for
/// each backend. Loopback delivery is asynchronous in the kernel, so a test that needs a socket
/// to become ready waits in Select with a bounded timeout instead of sleeping.
/// </summary>
[TestFixture(SelectorKind.Default)]
[TestFixture(SelectorKind.SocketSelect)]
public class SelectorContractTests(SelectorKind kind)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(1);

    private ISelector _selector = null!;
    private readonly List<Socket> _sockets = new();
    private readonly List<SelectorEvent> _ready = new();

    [SetUp]
    public void CreateSelector()
    {
        _selector = SelectorKinds.Create(kind);
        _ready.Clear(); // NUnit reuses one fixture instance for all its tests
    }

    [TearDown]
    public void DisposeAll()
    {
        _selector.Dispose();
        foreach (var socket in _sockets) socket.Dispose();
        _sockets.Clear();
    }

    private (Socket Left, Socket Right) Pair()
    {
        var (left, right) = LoopbackSocketPair.Create();
        _sockets.Add(left);
        _sockets.Add(right);
        return (left, right);
    }

    /// <summary>
    /// A new pair, one of whose sockets has been given <paramref name="number"/>, freed just before
    /// (POSIX hands out the lowest free descriptor), and that socket's peer.
    /// </summary>
    private (Socket Reused, Socket Partner) PairReusing(nint number)
    {
        var (a, b) = Pair();
        var (reused, partner) = b.Handle == number ? (b, a) : (a, b);
        if (OperatingSystem.IsLinux()) Assert.That(reused.Handle, Is.EqualTo(number), "test setup: number not reused");
        return (reused, partner);
    }

    /// <summary>Selects until <paramref name="state"/> is reported (at most 20 bounded waits) and returns what was reported for it.</summary>
    private SelectorInterest SelectUntilReported(object state)
    {
        for (int i = 0; i < 20; i++)
        {
            _ready.Clear();
            _selector.Select(Bounded, _ready);
            foreach (var e in _ready) if (e.State == state) return e.Ready;
        }
        Assert.Fail($"{state} was never reported");
        return SelectorInterest.None;
    }

    [Test]
    public void OnlyTheSocketWithDataIsReportedReadable()
    {
        var (quietLeft, quietRight) = Pair();
        var (busyLeft, busyRight) = Pair();
        _selector.Register(quietRight, SelectorInterest.Read, "quiet");
        _selector.Register(busyRight, SelectorInterest.Read, "busy");

        busyLeft.Send(new byte[] { 1 });

        Assert.That(SelectUntilReported("busy"), Is.EqualTo(SelectorInterest.Read));
        Assert.That(_ready.Select(e => e.State), Has.No.Member("quiet"));
        GC.KeepAlive(quietLeft);
    }

    [Test]
    public void AConnectedSocketIsWritable_AndReadInterestAloneDoesNotReportIt()
    {
        var (left, _) = Pair();
        _selector.Register(left, SelectorInterest.Write, "left");
        Assert.That(SelectUntilReported("left"), Is.EqualTo(SelectorInterest.Write));

        _selector.Register(left, SelectorInterest.Read, "left"); // changed interest: nothing to read
        _ready.Clear();
        _selector.Select(TimeSpan.Zero, _ready);
        Assert.That(_ready, Is.Empty);
    }

    [Test]
    public void ReRegisteringReplacesTheState()
    {
        var (left, right) = Pair();
        _selector.Register(right, SelectorInterest.Read, "old");
        _selector.Register(right, SelectorInterest.Read, "new");
        left.Send(new byte[] { 1 });

        SelectUntilReported("new");
        Assert.That(_ready.Select(e => e.State), Has.No.Member("old"));
        Assert.That(_selector.Count, Is.EqualTo(1));
    }

    [Test]
    public void AnUnregisteredSocketIsNotReported_AndLeavesTheCount()
    {
        var (left, right) = Pair();
        var (wakeLeft, wakeRight) = Pair();
        _selector.Register(right, SelectorInterest.Read, "gone");
        _selector.Register(wakeRight, SelectorInterest.Read, "wake");
        _selector.Unregister(right);
        _selector.Unregister(right); // twice is harmless
        left.Send(new byte[] { 1 });
        wakeLeft.Send(new byte[] { 1 });

        SelectUntilReported("wake");
        Assert.That(_ready.Select(e => e.State), Has.No.Member("gone"));
        Assert.That(_selector.Count, Is.EqualTo(1));
    }

    [Test]
    public void DataThatArrivesWhileUnregistered_IsReportedOnceTheSocketIsRegisteredAgain()
    {
        var (left, right) = Pair();
        var (wakeLeft, wakeRight) = Pair();
        _selector.Register(right, SelectorInterest.Read, "before");
        _selector.Register(wakeRight, SelectorInterest.Read, "wake");
        _selector.Unregister(right);
        left.Send(new byte[] { 1 });
        wakeLeft.Send(new byte[] { 1 });
        SelectUntilReported("wake");
        Assert.That(_ready.Select(e => e.State), Has.No.Member("before"));

        _selector.Register(right, SelectorInterest.Read, "after");
        Assert.That(SelectUntilReported("after"), Is.EqualTo(SelectorInterest.Read));
        Assert.That(_ready.Select(e => e.State), Has.No.Member("before"));
    }

    [Test]
    public void ASocketDisposedAfterItWasUnregistered_IsNeverReported_AndANewSocketOnItsNumberWorks()
    {
        var (oldLeft, oldRight) = Pair();
        nint oldNumber = oldRight.Handle;
        _selector.Register(oldRight, SelectorInterest.Read, "old");
        _selector.Unregister(oldRight);
        oldRight.Dispose(); // the right order: nothing to report

        var (reused, partner) = PairReusing(oldNumber);
        _selector.Register(reused, SelectorInterest.Read, "new");
        partner.Send(new byte[] { 1 });

        var seen = new List<object>();
        for (int i = 0; i < 5; i++) // past the wait after which a dormant registration is retired
        {
            _ready.Clear();
            _selector.Select(Bounded, _ready);
            seen.AddRange(_ready.Select(e => e.State));
        }
        Assert.That(seen, Has.Member("new").And.All.EqualTo("new"), "nothing at all reported for the old socket");
        Assert.That(_selector.Count, Is.EqualTo(1));
        GC.KeepAlive(oldLeft);
    }

    [Test]
    public void APeerThatClosesMakesTheSocketReadable()
    {
        var (left, right) = Pair();
        _selector.Register(right, SelectorInterest.Read, "right");
        left.Dispose();
        Assert.That(SelectUntilReported("right"), Is.EqualTo(SelectorInterest.Read));
        Assert.That(right.Receive(new byte[1]), Is.Zero, "end of stream");
    }

    [Test]
    public void MoreReadySocketsThanOneWaitReturns_AreAllReported()
    {
        // 150 is above the epoll selector's first event buffer (64): level-triggered readiness
        // carries the rest into the next waits.
        const int Count = 150;
        var writers = new List<Socket>();
        for (int i = 0; i < Count; i++)
        {
            var (left, right) = Pair();
            _selector.Register(right, SelectorInterest.Read, i);
            writers.Add(left);
        }
        foreach (var writer in writers) writer.Send(new byte[] { 1 });

        var seen = new HashSet<int>();
        for (int i = 0; i < 50 && seen.Count < Count; i++)
        {
            _ready.Clear();
            _selector.Select(Bounded, _ready);
            foreach (var e in _ready) seen.Add((int)e.State);
        }
        Assert.That(seen, Has.Count.EqualTo(Count));
    }

    [Test]
    public void ASocketDisposedWhileRegistered_IsReportedClosed_AndANewSocketOnItsNumberIsUnaffected()
    {
        var (oldLeft, oldRight) = Pair();
        nint oldNumber = oldRight.Handle;
        _selector.Register(oldRight, SelectorInterest.Read, "old");
        oldRight.Dispose(); // a caller's bug: the descriptor number is free for the next socket

        // POSIX hands out the lowest free number: one of the new pair's sockets takes the old one.
        var (reused, partner) = PairReusing(oldNumber);
        _selector.Register(reused, SelectorInterest.Read, "new");

        Assert.That(SelectUntilReported("old"), Is.EqualTo(SelectorInterest.Closed));
        _selector.Unregister(oldRight); // already dropped: must not touch the new socket
        Assert.That(_selector.Count, Is.EqualTo(1));

        partner.Send(new byte[] { 1 });
        Assert.That(SelectUntilReported("new"), Is.EqualTo(SelectorInterest.Read));
        GC.KeepAlive(oldLeft);
    }

    [Test]
    public void AnEmptySelectorRefusesToWait()
    {
        Assert.That(() => _selector.Select(TimeSpan.Zero, _ready), Throws.InvalidOperationException);
    }

    [Test]
    public void NothingReadyAndAShortTimeout_ReturnsEmpty()
    {
        var (_, right) = Pair();
        _selector.Register(right, SelectorInterest.Read, "right");
        _selector.Select(TimeSpan.FromMilliseconds(1), _ready);
        Assert.That(_ready, Is.Empty);
    }
}
