using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples;

/// <summary>
/// How a sample server lives and dies: announce where it listens, serve until its task is
/// cancelled (Ctrl+C or SIGTERM through <see cref="SampleRunner"/>), then stop accepting, let
/// the sample say goodbye, close the clients and wait for their handlers, at most about a
/// second before cutting the rest off.
/// </summary>
public static class ServerLifetime
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(1);

    /// <summary>Prints "NAME listening on HOST:PORT" on standard output, in a fixed form so scripts (and tests) can find the port.</summary>
    public static void Announce(string name, System.Net.EndPoint endpoint, ILogger log)
    {
        Console.Out.WriteLine($"{name} listening on {endpoint}");
        Console.Out.Flush();
        log.LogInformation("{Name} listening on {EndPoint}", name, endpoint);
    }

    /// <summary>Serves until cancelled; <paramref name="sayGoodbye"/> runs once accepting has stopped.</summary>
    public static async LoopTask ServeUntilCancelledAsync(Loop loop, Server server, ILogger log, string name, Action? sayGoodbye = null)
    {
        Announce(name, server.LocalEndPoint, log);
        try
        {
            await loop.Delay(Timeout.InfiniteTimeSpan);
        }
        finally
        {
            log.LogInformation("{Name} shutting down", name);
            server.Close();
            sayGoodbye?.Invoke();
            server.CloseClients();
            try
            {
                await loop.WaitForAsync(server.WaitClosedAsync(), GracePeriod);
            }
            catch (TimeoutException)
            {
                log.LogWarning("{Count} connections did not close in time; aborting them", server.ConnectionCount);
                server.AbortClients();
            }
        }
    }
}
