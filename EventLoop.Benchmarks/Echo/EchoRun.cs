using System.Net;
using System.Net.Sockets;
using EventLoop.Benchmarks.Load;
using EventLoop.Net;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// Measures one server: start its process, connect every client, warm up, bracket the measured
/// window with the server's "start"/"stop", then drain and check every connection. Any failure —
/// a wrong byte, a client error, a server that stops answering, the time budget running out —
/// throws, and the server process is killed on the way out.
/// </summary>
internal static class EchoRun
{
    public static async Task<EchoResult> MeasureAsync(ServerKind kind, EchoOptions options)
    {
        using var budget = new CancellationTokenSource(options.PerServerBudget);
        using var server = await ServerProcess.StartAsync("echo-server", kind.Name(), options.Pin, options.PerServerBudget + TimeSpan.FromSeconds(30));
        var clients = Enumerable.Range(0, options.Connections).Select(id => new EchoClient(id, options.Size, options.Depth)).ToArray();
        var idle = new List<Socket>(options.Idle);
        try
        {
            double? idleBytes = options.Idle > 0 ? await OpenIdleAsync(server, idle, options.Idle, budget.Token) : null;

            // One at a time: a burst of connects is not what is being measured.
            foreach (var client in clients) await client.ConnectAsync(server.Port, budget.Token);

            var phase = new LoadPhase();
            var tasks = clients.Select(c => Task.Run(() => c.RunAsync(phase, budget.Token))).ToArray();
            var running = Task.WhenAll(tasks);
            var firstFailure = FirstFailure(tasks, phase);
            await MeasuredWindow.WhileRunningAsync(firstFailure, options.Warmup);
            var (window, generatorCpu, stats) = await MeasuredWindow.RunAsync(server, phase, options.Duration, firstFailure);

            await running.WaitAsync(budget.Token); // every in-flight message back and verified
            await server.ExitAsync();

            var latencies = new LatencyHistogram();
            foreach (var client in clients) latencies.Add(client.Latencies);
            if (latencies.Count == 0) throw new InvalidOperationException($"No message completed in the measured window of the {kind.Name()} server.");
            return new EchoResult(kind, latencies.Count, window, latencies.Percentile(50), latencies.Percentile(99), stats, generatorCpu, idleBytes);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            throw new TimeoutException($"The {kind.Name()} run did not finish within {options.PerServerBudget.TotalSeconds} s.");
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
            foreach (var socket in idle) socket.Dispose();
        }
    }

    /// <summary>
    /// Opens <paramref name="count"/> connections that never send, and returns the server's managed
    /// heap growth per connection between the first and the last being open (so one-time costs of
    /// the first accept — pools, JIT — stay out). The idle sockets stay open through the load.
    /// </summary>
    private static async Task<double?> OpenIdleAsync(ServerProcess server, List<Socket> idle, int count, CancellationToken cancellationToken)
    {
        long limit = OpenFileLimit.RaiseToHardLimit() ?? -1;
        if (limit >= 0 && limit < count + 256) throw new InvalidOperationException($"--idle {count} needs more descriptors than the limit of {limit}: raise it (ulimit -n 20000).");
        long first = 0;
        for (int i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            idle.Add(socket);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), cancellationToken);
            if (i == 0) first = await server.HeapWithConnectionsAsync(1);
        }
        long last = await server.HeapWithConnectionsAsync(count);
        return count > 1 ? (double)(last - first) / (count - 1) : null;
    }

    /// <summary>Completes (faulted) as soon as any client ends before being told to stop: WhenAll would wait for all of them.</summary>
    private static Task FirstFailure(Task[] clients, LoadPhase phase)
    {
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var client in clients)
        {
            _ = client.ContinueWith(t =>
            {
                if (t.Exception is { } e) failed.TrySetException(e.InnerExceptions);
                else if (t.IsCanceled) failed.TrySetCanceled();
                else if (!phase.IsStopping) failed.TrySetException(new InvalidOperationException("A client stopped before it was told to."));
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return failed.Task;
    }
}
