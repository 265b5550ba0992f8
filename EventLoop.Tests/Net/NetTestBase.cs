using System.Net;
using EventLoop.Net;
using EventLoop.Tests.Core;

namespace EventLoop.Tests.Net;

/// <summary>A real-clock loop for network tests (loopback sockets, port 0) with a guard timer so a bug fails instead of hanging.</summary>
public abstract class NetTestBase(SelectorKind selector = SelectorKind.Default)
{
    protected Loop Loop = null!;
    protected List<LoopExceptionContext> Reported = null!;

    /// <summary>What the loop and the servers on it logged (captured, so a passing run prints nothing).</summary>
    protected CapturingLoggerFactory Logs = null!;

    [SetUp]
    public void CreateLoop()
    {
        Logs = new CapturingLoggerFactory();
        Loop = new Loop(new LoopOptions { Selector = SelectorKinds.Create(selector), LoggerFactory = Logs });
        Reported = new List<LoopExceptionContext>();
        Loop.ExceptionHandler = Reported.Add;
    }

    [TearDown]
    public void DisposeLoop() => Loop.Dispose();

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
