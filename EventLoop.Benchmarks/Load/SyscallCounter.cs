using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// Counts a server process's system calls over a span the caller chooses, exactly, with
/// <c>perf stat</c>'s in-kernel counters on the <c>syscalls:sys_enter_*</c> tracepoints: every
/// call is counted (no sampling), and the server runs at full speed (strace -c would stop it at each
/// call through ptrace, slowing it several-fold and changing how much work each iteration batches —
/// an exact count of a different run). perf attaches to the running server with its counters
/// disabled; <see cref="EnableAsync"/> and <see cref="DisableAsync"/> switch them through perf's
/// control fifo and wait for its acknowledgement, so the count covers just what happened between
/// the two calls. perf prints the totals when the server exits. Needs perf and the right to trace the
/// process (root, or a low <c>perf_event_paranoid</c>); without them the counts are absent, not guessed.
/// </summary>
internal sealed class SyscallCounter : IDisposable
{
    /// <summary>Calls that put bytes on a socket; write and writev only on descriptors above 2 (not the control pipe).</summary>
    private static readonly string[] SendCalls = ["sendto", "sendmsg", "sendmmsg", "write", "writev"];

    /// <summary>The waits of a select loop (epoll, or poll() under Socket.Select): one per iteration that selects.</summary>
    private static readonly string[] WaitCalls = ["epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll"];

    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _perf;
    private readonly string _directory, _output;
    private readonly FileStream _control, _ack;

    private SyscallCounter(Process perf, string directory, string output, FileStream control, FileStream ack)
    {
        _perf = perf;
        _directory = directory;
        _output = output;
        _control = control;
        _ack = ack;
    }

    /// <summary>Attaches to <paramref name="processId"/>; null (with the reason in <paramref name="why"/>) where perf cannot count.</summary>
    public static async Task<(SyscallCounter? Counter, string? Why)> StartAsync(int processId)
    {
        if (!OperatingSystem.IsLinux()) return (null, "perf counting needs Linux");
        string directory = Directory.CreateTempSubdirectory("chat-perf-").FullName;
        string control = Path.Combine(directory, "control"), ack = Path.Combine(directory, "ack"), output = Path.Combine(directory, "counts.csv");
        if (mkfifo(control, 0x180) != 0 || mkfifo(ack, 0x180) != 0) return Fail(directory, "mkfifo failed");
        var psi = new ProcessStartInfo("perf") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in Arguments(processId, control, ack, output)) psi.ArgumentList.Add(arg);
        Process perf;
        try
        {
            perf = Process.Start(psi) ?? throw new InvalidOperationException();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return Fail(directory, "perf is not installed (Debian: apt-get install linux-perf)");
        }
        var stderr = perf.StandardError.ReadToEndAsync();
        try
        {
            // perf opens both fifos read-write at start; if it failed instead, say why.
            var opening = Task.Run(() => (new FileStream(control, FileMode.Open, FileAccess.Write), new FileStream(ack, FileMode.Open, FileAccess.Read)));
            if (await Task.WhenAny(opening, perf.WaitForExitAsync(), Task.Delay(AckTimeout)) != opening || perf.HasExited)
            {
                SelfProcess.KillQuietly(perf);
                return Fail(directory, "perf stat did not start: " + (await stderr).Trim());
            }
            var (controlStream, ackStream) = await opening;
            return (new SyscallCounter(perf, directory, output, controlStream, ackStream), null);
        }
        catch (IOException e)
        {
            SelfProcess.KillQuietly(perf);
            return Fail(directory, e.Message);
        }
    }

    public Task EnableAsync() => CommandAsync("enable");

    public Task DisableAsync() => CommandAsync("disable");

    /// <summary>The totals, once the server has exited (perf writes them then).</summary>
    public async Task<SyscallCounts> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(AckTimeout);
        await _perf.WaitForExitAsync(timeout.Token);
        var counts = new Dictionary<string, long>();
        foreach (var line in await File.ReadAllLinesAsync(_output))
        {
            // CSV (-x ,): count, unit, event, ...; "<not counted>" if never enabled.
            var fields = line.Split(',');
            if (fields.Length < 3 || !fields[2].StartsWith("syscalls:sys_enter_", StringComparison.Ordinal)) continue;
            string call = fields[2]["syscalls:sys_enter_".Length..];
            counts[call] = long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 0;
        }
        if (counts.Count == 0) throw new InvalidOperationException($"perf wrote no counts to {_output}.");
        return new SyscallCounts(SendCalls.Sum(c => counts.GetValueOrDefault(c)), WaitCalls.Sum(c => counts.GetValueOrDefault(c)), counts);
    }

    private async Task CommandAsync(string command)
    {
        await _control.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\n"));
        await _control.FlushAsync();
        var reply = new byte[16];
        int n = await _ack.ReadAsync(reply).AsTask().WaitAsync(AckTimeout);
        if (n == 0 || !reply.AsSpan(0, n).StartsWith("ack"u8)) throw new InvalidOperationException($"perf did not acknowledge '{command}'.");
    }

    private static IEnumerable<string> Arguments(int processId, string control, string ack, string output)
    {
        string[] start = ["stat", "-x", ",", "-o", output, "-D", "-1", "--control", $"fifo:{control},{ack}", "-p", processId.ToString(CultureInfo.InvariantCulture)];
        foreach (var arg in start) yield return arg;
        foreach (var call in SendCalls.Concat(WaitCalls).Where(TracepointExists))
        {
            yield return "-e";
            yield return "syscalls:sys_enter_" + call;
            if (call is not ("write" or "writev")) continue;
            yield return "--filter";
            yield return "fd > 2";
        }
    }

    /// <summary>Older kernels lack some calls (epoll_pwait2 is 5.11): count only those this one has.</summary>
    private static bool TracepointExists(string call) =>
        !Directory.Exists("/sys/kernel/tracing/events/syscalls") || Directory.Exists($"/sys/kernel/tracing/events/syscalls/sys_enter_{call}");

    private static (SyscallCounter?, string?) Fail(string directory, string why)
    {
        Directory.Delete(directory, recursive: true);
        return (null, why);
    }

    public void Dispose()
    {
        SelfProcess.KillQuietly(_perf);
        _perf.Dispose();
        _control.Dispose();
        _ack.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);
}

/// <summary>A server's system calls over the window: socket sends, loop waits, and each call's own count.</summary>
internal sealed record SyscallCounts(long Sends, long Waits, IReadOnlyDictionary<string, long> ByCall);
