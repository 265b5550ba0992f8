using EventLoop.Net;
using EventLoop.Tests.Core;

namespace EventLoop.Tests.Net;

/// <summary>Connection rules that do not depend on the medium: the thread check, and waits that never poison each other.</summary>
public class ConnectionContractTests : LoopTestBase
{
    [Test]
    public void EveryOperationFromAnotherThread_IsRefusedUpFront_AndNothingIsSent()
    {
        var (a, b) = MemoryTransport.CreateConnectionPair(Loop);
        var refused = FromAnotherThread.Refused(
            ("Write", () => a.Write("x"u8)),
            ("WriteLine", () => a.WriteLine("x")),
            ("ReadAsync", () => a.ReadAsync(new byte[1])),
            ("ReadLineAsync", () => a.ReadLineAsync()),
            ("ReadExactlyAsync", () => a.ReadExactlyAsync(1)),
            ("DrainAsync", () => a.DrainAsync()),
            ("ShutdownWrite", a.ShutdownWrite),
            ("Close", a.Close),
            ("Abort", a.Abort),
            ("WaitClosedAsync", () => a.WaitClosedAsync()),
            ("SetWriteBufferLimits", () => a.SetWriteBufferLimits(1024)),
            ("Limit", () => a.Limit = 10));
        Loop.RunUntilIdle();

        Assert.That(refused, Is.EqualTo(new[]
        {
            "Write", "WriteLine", "ReadAsync", "ReadLineAsync", "ReadExactlyAsync", "DrainAsync", "ShutdownWrite",
            "Close", "Abort", "WaitClosedAsync", "SetWriteBufferLimits", "Limit",
        }));
        Assert.That(b.BufferedCount, Is.Zero, "nothing was sent");
        Assert.That(a.IsClosing, Is.False);
    }

    [Test]
    public void ACancelledWaitForTheClose_DoesNotPoisonLaterWaits()
    {
        var (a, _) = MemoryTransport.CreateConnectionPair(Loop);
        var first = a.WaitClosedAsync();
        first.Cancel();
        Assert.That(first.Status, Is.EqualTo(LoopTaskStatus.Canceled));

        var timedOut = Loop.WaitForAsync(a.WaitClosedAsync(), TimeSpan.FromSeconds(1));
        Assert.Throws<TimeoutException>(() => Loop.RunUntilComplete(timedOut));

        var second = a.WaitClosedAsync();
        Loop.RunUntilComplete(a.CloseAsync()); // neither the cancel nor the timeout reached this one
        Assert.That(second.Status, Is.EqualTo(LoopTaskStatus.RanToCompletion));
        Loop.RunUntilComplete(a.WaitClosedAsync());
    }

    [Test]
    public void ACancelledDrain_LeavesTheOtherDrainsWaiting()
    {
        var (a, b) = MemoryTransport.CreateConnectionPair(Loop, new ConnectionOptions { Limit = 1024 });
        a.SetWriteBufferLimits(high: 1000);
        a.Write(new byte[200_000]);
        Loop.RunUntilIdle();
        var cancelled = a.DrainAsync();
        var kept = a.DrainAsync();

        cancelled.Cancel();
        async LoopTask ReadAll() => await b.ReadExactlyAsync(new byte[200_000]);
        Loop.RunUntilComplete(ReadAll());
        Loop.RunUntilIdle();

        Assert.That(cancelled.Status, Is.EqualTo(LoopTaskStatus.Canceled));
        Assert.That(kept.Status, Is.EqualTo(LoopTaskStatus.RanToCompletion));
    }

    [Test]
    public void AsAnITransport_PausingReadingIsHonored_AndTheReadAheadBoundStillHoldsAfterResuming()
    {
        var (a, b) = MemoryTransport.CreateConnectionPair(Loop, new ConnectionOptions { Limit = 1000 });
        ITransport bAsTransport = b;
        bAsTransport.PauseReading();
        a.Write(new byte[10_000]);
        Loop.RunUntilIdle();
        Assert.That(b.BufferedCount, Is.Zero, "paused: nothing taken from the peer");
        Assert.That(bAsTransport.IsReading, Is.False);

        bAsTransport.ResumeReading();
        Loop.RunUntilIdle();
        Assert.That(b.BufferedCount, Is.EqualTo(2000), "reading again, up to the read-ahead bound and no further");

        bAsTransport.PauseReading();
        Loop.RunUntilComplete(b.ReadExactlyAsync(1500)); // below the Limit: the bound alone would resume reading
        Loop.RunUntilIdle();
        Assert.That(b.BufferedCount, Is.EqualTo(500), "still paused by request");
    }
}
