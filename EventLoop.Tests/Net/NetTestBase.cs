using System.Net;
using EventLoop.Net;
using EventLoop.Tests.Core;
using Microsoft.Extensions.Logging;

namespace EventLoop.Tests.Net;

/// <summary>
/// A real-clock loop for network tests (loopback sockets, port 0) with a guard timer so a bug
/// fails instead of hanging. What the loop logs is captured in <see cref="Logs"/>, never printed:
/// a test that expects an error-level log says so with <see cref="ExpectErrorLogs"/> and checks
/// it; any other error-level log fails the test.
/// </summary>
public abstract class NetTestBase(SelectorKind selector = SelectorKind.Default)
{
    protected Loop Loop = null!;
    protected List<LoopExceptionContext> Reported = null!;
    protected CapturingLoggerFactory Logs = null!;

    /// <summary>Set by a test that provokes error-level logs on purpose (and asserts on them).</summary>
    protected bool ExpectErrorLogs;

    [SetUp]
    public void CreateLoop()
    {
        Logs = new CapturingLoggerFactory();
        ExpectErrorLogs = false;
        Loop = new Loop(new LoopOptions { Selector = SelectorKinds.Create(selector), LoggerFactory = Logs });
        Reported = new List<LoopExceptionContext>();
        Loop.ExceptionHandler = Reported.Add;
    }

    [TearDown]
    public void DisposeLoop()
    {
        Loop.Dispose();
        if (ExpectErrorLogs) return;
        var errors = Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.That(errors, Is.Empty, "unexpected error-level logs: " + string.Join("; ", errors.Select(e => $"{e.Category}: {e.Message} {e.Exception?.GetType().Name}")));
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
