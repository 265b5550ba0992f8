using EventLoop.Testing;

namespace EventLoop.Tests.Core;

/// <summary>
/// A fresh loop on a manual clock for every test, with an exception handler that records what
/// it is given instead of logging it.
/// </summary>
public abstract class LoopTestBase(SelectorKind selector = SelectorKind.Default)
{
    protected ManualClock Clock = null!;
    protected Loop Loop = null!;
    protected List<LoopExceptionContext> Reported = null!;

    [SetUp]
    public void CreateLoop()
    {
        Clock = new ManualClock { AutoAdvance = true };
        Loop = new Loop(new LoopOptions { TimeProvider = Clock, Selector = SelectorKinds.Create(selector) });
        Reported = new List<LoopExceptionContext>();
        Loop.ExceptionHandler = Reported.Add;
    }

    [TearDown]
    public void DisposeLoop()
    {
        if (!Loop.IsRunning) Loop.Dispose();
    }

    protected TimeSpan Elapsed => Clock.Elapsed;
}
