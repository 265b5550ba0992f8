using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EventLoop.Tests.Samples;

/// <summary>
/// Runs the real samples executable (<c>dotnet EventLoop.Samples.dll &lt;sample&gt; ...</c>), reads
/// its output line by line, and stops it with a POSIX signal — the way a user runs it.
/// </summary>
/// <remarks>
/// A child inherits its parent's ignored signals, and a test runner started in the background
/// (<c>nohup dotnet test &amp;</c>, a script's background job) has SIGINT ignored; .NET keeps that,
/// so a sample started from it never sees Ctrl+C. Tests whose point is a graceful stop therefore
/// use <see cref="Terminate"/> (SIGTERM, what a service manager sends); the few about Ctrl+C
/// itself start the sample through <see cref="WithDefaultSigint"/>.
/// </remarks>
public sealed class SampleProcess : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const int SIGINT = 2, SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private readonly Process _process;
    private readonly BlockingQueueReader _stdout;

    public SampleProcess(params string[] arguments) : this(["dotnet"], arguments)
    {
    }

    /// <param name="launcher">The command line that runs <c>dotnet</c> (its last word) with the sample's arguments after it: <c>env</c> or a shell, for example.</param>
    /// <param name="arguments">The sample and its options.</param>
    private SampleProcess(string[] launcher, string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EventLoop.Samples.dll");
        var start = new ProcessStartInfo(launcher[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var word in launcher.Skip(1)) start.ArgumentList.Add(word);
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the samples process");
        _stdout = new BlockingQueueReader(_process.StandardOutput);
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (Errors) Errors.Add(e.Data); };
        _process.BeginErrorReadLine();
    }

    /// <summary>Runs the sample with at most <paramref name="limit"/> open descriptors (<c>ulimit -n</c>: soft and hard).</summary>
    public static SampleProcess WithFileLimit(int limit, params string[] arguments) =>
        // The shell lowers both limits, then becomes the sample: the process is the sample's.
        new(["bash", "-c", $"ulimit -n {limit} && exec dotnet \"$@\"", "bash"], arguments);

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the sample with SIGINT at its default disposition, as a shell's foreground job has it,
    /// whatever this test process inherited: through coreutils' <c>env --default-signal=INT</c>.
    /// Skips the test if that is unavailable while SIGINT is ignored here.
    /// </summary>
    public static SampleProcess WithDefaultSigint(params string[] arguments)
    {
        if (EnvCanRestoreSigint.Value) return new SampleProcess(["env", "--default-signal=INT", "dotnet"], arguments);
        if (SigintIgnoredHere()) Assert.Ignore("SIGINT is ignored in this test run and `env --default-signal` (coreutils 8.31+) is missing to restore it for the sample.");
        return new SampleProcess(arguments);
    }

    private static readonly Lazy<bool> EnvCanRestoreSigint = new(() =>
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("env", ["--default-signal=INT", "true"]) { RedirectStandardError = true, UseShellExecute = false });
            probe!.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>Whether this process ignores SIGINT (bit 1 of the SigIgn mask in /proc/self/status).</summary>
    private static bool SigintIgnoredHere()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:"));
        return (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (SIGINT - 1))) != 0;
    }

    /// <summary>Standard error lines (the samples log there).</summary>
    public List<string> Errors { get; } = new();

    /// <summary>The next line of standard output, waiting for it (bounded).</summary>
    public string ReadLine() => _stdout.ReadLine(Patience) ?? throw new TimeoutException("the sample printed nothing more; stderr: " + string.Join('\n', Errors));

    /// <summary>Everything left on standard output once the sample has exited.</summary>
    public List<string> ReadRemainingLines()
    {
        var lines = new List<string>();
        while (_stdout.ReadLine(Patience) is { } line) lines.Add(line);
        return lines;
    }

    /// <summary>Writes a line to the sample's standard input.</summary>
    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Closes the sample's standard input (end of file).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Reads the "NAME listening on HOST:PORT" line a server sample prints first and returns the port.</summary>
    public int ReadListeningPort()
    {
        string line = ReadLine();
        Assert.That(line, Does.Contain(" listening on 127.0.0.1:"));
        return int.Parse(line[(line.LastIndexOf(':') + 1)..]);
    }

    /// <summary>The process id (of <c>env</c>, which execs the sample in place, for <see cref="WithDefaultSigint"/>).</summary>
    public int Id => _process.Id;

    /// <summary>SIGTERM: the graceful stop a service manager asks for; never ignored by inheritance.</summary>
    public void Terminate() => Signal(SIGTERM);

    /// <summary>SIGINT, as Ctrl+C sends: only meaningful for a sample started <see cref="WithDefaultSigint"/>.</summary>
    public void Interrupt() => Signal(SIGINT);

    private void Signal(int signal) => Assert.That(kill(_process.Id, signal), Is.Zero);

    /// <summary>
    /// Ends the sample's child process named <paramref name="command"/> with SIGTERM, as a
    /// terminal's Ctrl+C ends a whole foreground process group, and waits (bounded) until it has exited.
    /// </summary>
    public void TerminateChild(string command)
    {
        int child = Directory.GetDirectories($"/proc/{_process.Id}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse)
            .Single(pid => File.ReadAllText($"/proc/{pid}/comm").Trim() == command);
        Assert.That(kill(child, SIGTERM), Is.Zero);
        // Exited: gone, or a zombie until the sample reaps it (field 3 of /proc/PID/stat is the state).
        bool Exited()
        {
            try
            {
                return File.ReadAllText($"/proc/{child}/stat").Split(") ")[1].StartsWith('Z');
            }
            catch (IOException)
            {
                return true; // reaped between looking and reading: /proc/PID is gone
            }
        }
        Assert.That(SpinWait.SpinUntil(Exited, Patience), Is.True, $"{command} ({child}) did not exit");
    }

    /// <summary>Waits (bounded) for the process to exit and returns its exit code.</summary>
    public int WaitForExit()
    {
        if (!_process.WaitForExit(Patience)) throw new TimeoutException("the sample did not exit; stderr: " + string.Join('\n', Errors));
        _process.WaitForExit(); // and for its redirected output to be read to the end
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    /// <summary>Reads lines on a background thread so a test can wait for one with a timeout.</summary>
    private sealed class BlockingQueueReader
    {
        private readonly System.Collections.Concurrent.BlockingCollection<string?> _lines = new();
        private bool _ended;

        public BlockingQueueReader(StreamReader reader)
        {
            var thread = new Thread(() =>
            {
                string? line;
                while ((line = reader.ReadLine()) is not null) _lines.Add(line);
                _lines.Add(null);
            }) { IsBackground = true };
            thread.Start();
        }

        /// <summary>The next line; null at the end of the output (and ever after) or when none came in time.</summary>
        public string? ReadLine(TimeSpan timeout)
        {
            if (_ended) return null;
            if (!_lines.TryTake(out var line, timeout)) return null;
            _ended = line is null;
            return line;
        }
    }
}
