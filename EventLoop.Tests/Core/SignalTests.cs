using System.Runtime.InteropServices;

namespace EventLoop.Tests.Core;

[NonParallelizable] // signals are process-wide
public class SignalTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private const int SIGWINCH = 28; // default action: ignore, so a stray delivery is harmless

    [Test]
    [Platform("Linux")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ASignalHandlerRunsOnTheLoopThread()
    {
        using var loop = new Loop();
        int loopThread = Environment.CurrentManagedThreadId;
        int ranOn = 0;
        using var handler = loop.AddSignalHandler(PosixSignal.SIGWINCH, () =>
        {
            ranOn = Environment.CurrentManagedThreadId;
            loop.Stop();
        });
        var guard = loop.CallLater(TimeSpan.FromSeconds(30), loop.Stop); // fails rather than hangs

        Assert.That(kill(Environment.ProcessId, SIGWINCH), Is.Zero);
        loop.RunForever(); // blocked in select until the signal's hand-off wakes it

        Assert.That(ranOn, Is.EqualTo(loopThread));
        Assert.That(guard.HasFired, Is.False);
    }
}
