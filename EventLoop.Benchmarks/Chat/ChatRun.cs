using EventLoop.Benchmarks.Load;
using EventLoop.Net;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// Measures one chat server: start its process (and perf on it), join every client, start the
/// senders and warm up, bracket the measured window with the server's "start"/"stop", then let
/// every line in flight arrive everywhere, stop the server as Ctrl+C would and check that each
/// client got exactly the shutdown line and a close. Any failure — a check, a connection error, a
/// server that stops answering or exits uncleanly, the time budget running out — throws, and the
/// server process is killed on the way out.
/// </summary>
internal static class ChatRun
{
    private static string? _syscallWarning;

    public static async Task<ChatResult> MeasureAsync(ChatServerKind kind, ChatOptions options)
    {
        using var budget = new CancellationTokenSource(options.PerServerBudget);
        using var server = await ServerProcess.StartAsync("chat-server", kind.Name(), options.Pin, options.PerServerBudget + TimeSpan.FromSeconds(30));
        var (counter, why) = options.CountSyscalls ? await SyscallCounter.StartAsync(server.ProcessId) : (null, null);
        if (why is not null && _syscallWarning is null) Console.Error.WriteLine($"chat: send calls not counted: {_syscallWarning = why}");
        var plan = new ChatRoomPlan(options.Clients, options.SenderCount, options.Size, options.Depth);
        var phase = new LoadPhase();
        OpenFileLimit.RaiseToHardLimit(); // a socket per client
        using var driver = new ChatDriver(plan, server.Port, phase, budget.Token);
        try
        {
            driver.Start();
            await driver.Joined.WaitAsync(budget.Token);
            // System calls are counted from a quiet point (all joined, nothing in flight) to
            // another (all delivered): every send counted belongs to a line counted, and the other
            // way round, so calls per line are exact — the timed window's edges have lines in flight.
            if (counter is not null) await counter.EnableAsync();
            driver.StartSending();
            await MeasuredWindow.WhileRunningAsync(driver.Finished, options.Warmup);
            var (window, generatorCpu, stats) = await MeasuredWindow.RunAsync(server, phase, options.Duration, driver.Finished);
            long lines = driver.MeasuredDeliveries;

            await driver.Drained.WaitAsync(budget.Token); // every line sent has reached every client
            if (counter is not null) await counter.DisableAsync();
            await driver.ExpectShutdownAsync().WaitAsync(budget.Token);
            await server.ExitAsync(); // the samples' Ctrl+C path; a non-zero exit fails the run
            await driver.Finished.WaitAsync(budget.Token); // each client: the shutdown line, then the close
            var syscalls = counter is null ? null : await counter.ReadAsync();

            if (lines == 0) throw new InvalidOperationException($"No line was delivered in the measured window of the {kind.Name()} server.");
            var latencies = driver.Latencies();
            return new ChatResult(kind, lines, window, latencies.Percentile(50), latencies.Percentile(99), stats, generatorCpu, syscalls, driver.AllDeliveries, driver.AllocatedDuringLoad);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            throw new TimeoutException($"The {kind.Name()} run did not finish within {options.PerServerBudget.TotalSeconds} s.");
        }
        finally
        {
            counter?.Dispose();
        }
    }
}
