using System.Net;
using System.Net.Sockets;

namespace EventLoop.Tests.Core;

[TestFixture(SelectorKind.Default)]
[TestFixture(SelectorKind.SocketSelect)]
public class ReadinessTests(SelectorKind selector) : LoopTestBase(selector)
{
    private Socket _left = null!;
    private Socket _right = null!;

    [SetUp]
    public void ConnectPair() => (_left, _right) = LoopbackSocketPair.Create();

    [TearDown]
    public void ClosePair()
    {
        _left.Dispose();
        _right.Dispose();
    }

    /// <summary>
    /// Steps until <paramref name="done"/> holds. Loopback delivery is asynchronous in the
    /// kernel, so the loop blocks in select (no timers: until a socket is ready) for a bounded
    /// number of iterations rather than sleeping.
    /// </summary>
    private void StepUntil(Func<bool> done)
    {
        for (int i = 0; i < 50 && !done(); i++) Loop.RunOnce();
        Assert.That(done(), Is.True, "condition not reached");
    }

    [Test]
    public void AReaderRunsWhenDataArrives()
    {
        var received = new List<byte>();
        var buffer = new byte[16];
        Loop.AddReader(_right, () =>
        {
            int n = _right.Receive(buffer, SocketFlags.None, out _);
            received.AddRange(buffer.Take(n));
        });

        _left.Send("hi"u8.ToArray());
        StepUntil(() => received.Count == 2);

        Assert.That(received, Is.EqualTo("hi"u8.ToArray()));
    }

    [Test]
    public void ReadersAreLevelTriggered_TheyRunAgainWhileDataIsUnread()
    {
        int calls = 0;
        Loop.AddReader(_right, () => calls++); // never reads
        _left.Send(new byte[] { 1 });

        StepUntil(() => calls == 1);
        Loop.RunOnce(TimeSpan.Zero);
        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(calls, Is.EqualTo(3));
    }

    [Test]
    public void RemoveReader_StopsTheCallbacks()
    {
        int calls = 0;
        Loop.AddReader(_right, () => calls++);
        _left.Send(new byte[] { 1 });
        StepUntil(() => calls == 1);

        Assert.That(Loop.RemoveReader(_right), Is.True);
        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(calls, Is.EqualTo(1));
        Assert.That(Loop.RemoveReader(_right), Is.False);
        Assert.That(Loop.RegisteredSocketCount, Is.Zero);
    }

    [Test]
    public void ASecondAddReaderReplacesTheFirst()
    {
        var calls = new List<string>();
        Loop.AddReader(_right, () => calls.Add("first"));
        Loop.AddReader(_right, () => calls.Add("second"));
        _left.Send(new byte[] { 1 });

        StepUntil(() => calls.Count > 0);

        Assert.That(calls, Is.EqualTo(new[] { "second" }));
    }

    [Test]
    public void AReaderRemovedByAnEarlierCallbackOfTheSameIterationDoesNotRun()
    {
        var calls = new List<string>();
        Loop.AddReader(_left, () =>
        {
            calls.Add("left");
            Loop.RemoveReader(_right);
        });
        Loop.AddReader(_right, () => calls.Add("right"));
        _right.Send(new byte[] { 1 });
        _left.Send(new byte[] { 1 });

        // Wait until both are readable, so one select reports both.
        SpinWait.SpinUntil(() => _left.Available > 0 && _right.Available > 0, TimeSpan.FromSeconds(10));
        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(calls, Is.EqualTo(new[] { "left" }).Or.EqualTo(new[] { "right", "left" }),
            "right may run first (selector order); if left runs first, right must not run after its removal");
        Assert.That(Loop.RegisteredSocketCount, Is.EqualTo(1));
    }

    [Test]
    public void AReaderRemovedInTheSameIteration_DoesNotRunAsTheReaderOfASocketAddedRightAfter()
    {
        // The loop reuses the bookkeeping of a socket with nothing left registered; the call
        // already queued for the removed reader must not turn into a call of the new one.
        var (quietLeft, quietRight) = LoopbackSocketPair.Create();
        using var _ = quietLeft;
        using var __ = quietRight;
        var calls = new List<string>();
        bool swapped = false;
        void SwapOnce(Socket other)
        {
            if (swapped) return;
            swapped = true;
            Loop.RemoveReader(other);
            Loop.AddReader(quietRight, () => calls.Add("quiet"));
        }
        Loop.AddReader(_left, () => { calls.Add("left"); SwapOnce(_right); });
        Loop.AddReader(_right, () => { calls.Add("right"); SwapOnce(_left); });
        _right.Send(new byte[] { 1 });
        _left.Send(new byte[] { 1 });

        SpinWait.SpinUntil(() => _left.Available > 0 && _right.Available > 0, TimeSpan.FromSeconds(10));
        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(calls, Has.Count.EqualTo(1), "one of the two ran; the other's queued call and the quiet socket's reader did not");
        Assert.That(Loop.RegisteredSocketCount, Is.EqualTo(2));
    }

    [Test]
    public void AWriterRunsWhileTheSocketIsWritable()
    {
        int calls = 0;
        Loop.AddWriter(_left, () =>
        {
            if (++calls == 2) Loop.RemoveWriter(_left);
        });

        StepUntil(() => calls >= 1);
        Loop.RunOnce(TimeSpan.Zero);
        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(calls, Is.EqualTo(2));
    }

    [Test]
    public void ASocketClosedWhileRegisteredIsReportedAndDropped_TheLoopKeepsServingOthers()
    {
        bool otherRan = false;
        Loop.AddReader(_left, () => { });
        Loop.AddReader(_right, () =>
        {
            otherRan = true;
            _right.Receive(new byte[8], SocketFlags.None, out _);
        });
        _left.Dispose(); // without RemoveReader: a bug in the caller, not a reason to crash the loop

        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(Reported.Single().Message, Does.Contain("closed while still registered"));
        Assert.That(Loop.RegisteredSocketCount, Is.EqualTo(1));

        // _left's close gives _right end-of-stream: readable.
        StepUntil(() => otherRan);
    }

    [Test]
    public void WatchingADisposedSocketIsRefusedAtOnce()
    {
        _left.Dispose();
        Assert.That(() => Loop.AddReader(_left, () => { }), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => Loop.AddWriter(_left, () => { }), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(Loop.RegisteredSocketCount, Is.Zero);
    }

    [Test]
    public void WhileCallbacksStayReady_IoIsStillPolledWithinBusyPollInterval()
    {
        int iterations = 0;
        bool readerRan = false;
        int ranAtIteration = -1;
        void Busy()
        {
            iterations++;
            if (!readerRan) Loop.CallSoon(Busy);
        }
        Loop.AddReader(_right, () =>
        {
            readerRan = true;
            ranAtIteration = iterations;
            _right.Receive(new byte[8], SocketFlags.None, out _);
        });
        _left.Send(new byte[] { 1 });
        SpinWait.SpinUntil(() => _right.Available > 0, TimeSpan.FromSeconds(10));
        Loop.CallSoon(Busy);

        for (int i = 0; i < 200 && !readerRan; i++) Loop.RunOnce(TimeSpan.Zero);

        Assert.That(readerRan, Is.True);
        Assert.That(ranAtIteration, Is.LessThanOrEqualTo(new LoopOptions().BusyPollInterval));
    }

    [Test]
    public void WithBusyPollIntervalOne_IoIsPolledInEveryIteration()
    {
        using var loop = new Loop(new LoopOptions { BusyPollInterval = 1 });
        bool readerRan = false, busyRan = false;
        loop.AddReader(_right, () => readerRan = true);
        _left.Send(new byte[] { 1 });
        SpinWait.SpinUntil(() => _right.Available > 0, TimeSpan.FromSeconds(10));
        loop.CallSoon(() => busyRan = true);

        loop.RunOnce(TimeSpan.Zero);

        Assert.That(busyRan && readerRan, Is.True, "the ready callback and the socket's reader ran in the same iteration");
        loop.RemoveReader(_right);
    }
}
