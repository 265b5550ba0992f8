using System.Net;
using EventLoop.Net;
using EventLoop.Tests.Core;
using Microsoft.Extensions.Logging;

namespace EventLoop.Tests.Net;

/// <summary>
/// A real-clock loop for network tests (loopback sockets, port 0) with a guard timer so a bug
/// fails instead of hanging. What the loop reports and logs is captured, not printed; a test that
/// logged an error fails at teardown unless it took the entries it expected (<see cref="TakeLogs"/>).
/// </summary>
public abstract class NetTestBase(SelectorKind selector = SelectorKind.Default)
{
    protected Loop Loop = null!;
    protected List<LoopExceptionContext> Reported = null!;
    protected CapturingLoggerFactory Logs = null!;
    private int _logsTaken;

    [SetUp]
    public void CreateLoop()
    {
        Logs = new CapturingLoggerFactory();
        _logsTaken = 0;
        Loop = new Loop(new LoopOptions { Selector = SelectorKinds.Create(selector), LoggerFactory = Logs });
        Reported = new List<LoopExceptionContext>();
        Loop.ExceptionHandler = Reported.Add;
    }

    [TearDown]
    public void DisposeLoop()
    {
        Loop.Dispose();
        var errors = Logs.Entries.Skip(_logsTaken).Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.That(errors, Is.Empty, "nothing was logged as an error");
    }

    /// <summary>The log entries so far, which the teardown check then leaves alone.</summary>
    protected IReadOnlyList<CapturingLoggerFactory.Entry> TakeLogs()
    {
        var entries = Logs.Entries;
        _logsTaken = entries.Count;
        return entries;
    }

    /// <summary>Runs <paramref name="test"/> on the loop; fails it after 30 s of real time instead of hanging.</summary>
    protected T Run<T>(Func<LoopTask<T>> test) =>
        Loop.RunUntilComplete(() => Loop.WaitForAsync(test(), TimeSpan.FromSeconds(30)));

    protected void Run(Func<LoopTask> test) =>
        Loop.RunUntilComplete(() => Loop.WaitForAsync(test(), TimeSpan.FromSeconds(30)));

    protected static async LoopTask EchoHandler(Connection connection)
    {
        var buffer = new byte[4096];
        while (true)
        {
            int n = await connection.ReadAsync(buffer);
            if (n == 0) break;
            connection.Write(buffer.AsSpan(0, n));
            await connection.DrainAsync();
        }
    }

    protected static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static EndPoint Loopback0 => new IPEndPoint(IPAddress.Loopback, 0);
}
