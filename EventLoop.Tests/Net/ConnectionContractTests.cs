using EventLoop.Net;
using EventLoop.Testing;

namespace EventLoop.Tests.Net;

/// <summary>Connection rules that do not depend on the medium: the thread check, and waits that never poison each other.</summary>
public class ConnectionContractTests
{
    private Loop _loop = null!;

    [SetUp]
    public void CreateLoop() => _loop = new Loop(new LoopOptions { TimeProvider = new ManualClock { AutoAdvance = true } });

    [TearDown]
    public void DisposeLoop() => _loop.Dispose();

    [Test]
    public void EveryOperationFromAnotherThread_IsRefusedUpFront_AndNothingIsSent()
    {
        var (a, b) = MemoryTransport.CreateConnectionPair(_loop);
        var refused = new List<string>();
        var other = new Thread(() =>
        {
            void Try(string name, Action call)
            {
                try { call(); }
                catch (InvalidOperationException) { refused.Add(name); }
            }
            Try("Write", () => a.Write("x"u8));
            Try("WriteLine", () => a.WriteLine("x"));
            Try("ReadAsync", () => a.ReadAsync(new byte[1]));
            Try("ReadLineAsync", () => a.ReadLineAsync());
            Try("ReadExactlyAsync", () => a.ReadExactlyAsync(1));
            Try("DrainAsync", () => a.DrainAsync());
            Try("ShutdownWrite", a.ShutdownWrite);
            Try("Close", a.Close);
            Try("Abort", a.Abort);
            Try("WaitClosedAsync", () => a.WaitClosedAsync());
            Try("SetWriteBufferLimits", () => a.SetWriteBufferLimits(1024));
            Try("Limit", () => a.Limit = 10);
        });
        other.Start();
        other.Join();
        _loop.RunUntilIdle();

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
        var (a, _) = MemoryTransport.CreateConnectionPair(_loop);
        var first = a.WaitClosedAsync();
        first.Cancel();
        Assert.That(first.Status, Is.EqualTo(LoopTaskStatus.Canceled));

        var timedOut = _loop.WaitForAsync(a.WaitClosedAsync(), TimeSpan.FromSeconds(1));
        Assert.Throws<TimeoutException>(() => _loop.RunUntilComplete(timedOut));

        var second = a.WaitClosedAsync();
        _loop.RunUntilComplete(a.CloseAsync()); // neither the cancel nor the timeout reached this one
        Assert.That(second.Status, Is.EqualTo(LoopTaskStatus.RanToCompletion));
        _loop.RunUntilComplete(a.WaitClosedAsync());
    }

    [Test]
    public void ACancelledDrain_LeavesTheOtherDrainsWaiting()
    {
        var (a, b) = MemoryTransport.CreateConnectionPair(_loop, new ConnectionOptions { Limit = 1024 });
        a.SetWriteBufferLimits(high: 1000);
        a.Write(new byte[200_000]);
        _loop.RunUntilIdle();
        var cancelled = a.DrainAsync();
        var kept = a.DrainAsync();

        cancelled.Cancel();
        async LoopTask ReadAll() => await b.ReadExactlyAsync(new byte[200_000]);
        _loop.RunUntilComplete(ReadAll());
        _loop.RunUntilIdle();

        Assert.That(cancelled.Status, Is.EqualTo(LoopTaskStatus.Canceled));
        Assert.That(kept.Status, Is.EqualTo(LoopTaskStatus.RanToCompletion));
    }
}
