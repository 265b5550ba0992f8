using System.Net.Sockets;

namespace EventLoop.Tests.Core;

/// <summary>
/// What the epoll selector does beyond the <see cref="ISelector"/> contract (which
/// <see cref="SelectorContractTests"/> checks): an unregistered socket stays in the kernel's set
/// for one more wait, so code that unregisters and registers again at once (one read at a time)
/// makes no system call for it.
/// </summary>
public class EpollSelectorTests
{
    private EpollSelector _selector = null!;
    private readonly List<Socket> _sockets = new();
    private readonly List<SelectorEvent> _ready = new();

    [SetUp]
    public void CreateSelector()
    {
        if (!EpollSelector.IsSupported) Assert.Ignore("epoll is Linux only.");
        _selector = new EpollSelector();
        _ready.Clear();
    }

    [TearDown]
    public void DisposeAll()
    {
        _selector?.Dispose();
        foreach (var socket in _sockets) socket.Dispose();
        _sockets.Clear();
    }

    /// <summary>A connected pair whose right end is registered for reading.</summary>
    private (Socket Peer, Socket Watched) Watched(string state)
    {
        var (left, right) = LoopbackSocketPair.Create();
        _sockets.Add(left);
        _sockets.Add(right);
        _selector.Register(right, SelectorInterest.Read, state);
        return (left, right);
    }

    /// <summary>A socket registered and then unregistered (beside another, so Select can wait), and the kernel calls made until then.</summary>
    private (Socket Peer, Socket Socket, long Calls) Unregistered()
    {
        Watched("other");
        var (peer, socket) = Watched("first");
        _selector.Unregister(socket);
        return (peer, socket, _selector.KernelCalls);
    }

    private void SelectNow()
    {
        _ready.Clear();
        _selector.Select(TimeSpan.Zero, _ready);
    }

    [Test]
    public void RegisteringAgainRightAfterUnregistering_MakesNoSystemCall()
    {
        var (_, socket, calls) = Unregistered();
        SelectNow();
        _selector.Register(socket, SelectorInterest.Read, "second");

        Assert.That(_selector.KernelCalls, Is.EqualTo(calls));
        Assert.That(_selector.Count, Is.EqualTo(2));
    }

    [Test]
    public void ASocketNotRegisteredAgain_LeavesTheKernelAfterAWholeWait()
    {
        var (_, socket, calls) = Unregistered();
        SelectNow(); // the wait in which it could still come back
        Assert.That(_selector.KernelCalls, Is.EqualTo(calls));
        SelectNow();
        Assert.That(_selector.KernelCalls, Is.EqualTo(calls + 1), "removed from the epoll set");

        _selector.Register(socket, SelectorInterest.Read, "back"); // a fresh add, which would fail had it stayed
        Assert.That(_selector.KernelCalls, Is.EqualTo(calls + 2));
    }

    [Test]
    public void ASocketThatBecomesReadableWhileUnregistered_LeavesTheKernelAtOnce_Unreported()
    {
        var (peer, _, calls) = Unregistered();

        peer.Send(new byte[] { 1 });
        _selector.Select(TimeSpan.FromSeconds(1), _ready); // ends when the dormant socket turns readable

        Assert.That(_ready, Is.Empty);
        Assert.That(_selector.KernelCalls, Is.EqualTo(calls + 1), "removed at once: level-triggered, it would end every wait");
    }

    [Test]
    public void ASocketWatchedForWriting_LeavesTheKernelAtOnceWhenUnregistered()
    {
        // Kept dormant, a writable socket (nearly always writable) would end the next wait early.
        Watched("other");
        var (_, socket) = Watched("writer");
        _selector.Register(socket, SelectorInterest.Write, "writer");
        long calls = _selector.KernelCalls;

        _selector.Unregister(socket);

        Assert.That(_selector.KernelCalls, Is.EqualTo(calls + 1));
        _selector.Register(socket, SelectorInterest.Read, "reader");
        Assert.That(_selector.KernelCalls, Is.EqualTo(calls + 2), "added afresh");
    }

    [Test]
    public void ChangingWhatARevivedSocketIsWatchedFor_ModifiesTheKernelsInterest()
    {
        var (_, socket, calls) = Unregistered();

        _selector.Register(socket, SelectorInterest.Write, "write");
        Assert.That(_selector.KernelCalls, Is.EqualTo(calls + 1));
        _selector.Select(TimeSpan.FromSeconds(1), _ready);
        Assert.That(_ready, Has.One.Matches<SelectorEvent>(e => e.State.Equals("write") && e.Ready == SelectorInterest.Write));
    }
}
