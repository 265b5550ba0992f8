using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EventLoop.Tests.Samples;

/// <summary>
/// Runs the real samples executable (<c>dotnet EventLoop.Samples.dll &lt;sample&gt; ...</c>), reads
/// its output line by line, and sends it POSIX signals — the way a user runs it.
/// </summary>
public sealed class SampleProcess : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private readonly Process _process;
    private readonly BlockingQueueReader _stdout;

    public SampleProcess(params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EventLoop.Samples.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the samples process");
        _stdout = new BlockingQueueReader(_process.StandardOutput);
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (Errors) Errors.Add(e.Data); };
        _process.BeginErrorReadLine();
    }

    /// <summary>Standard error lines (the samples log there).</summary>
    public List<string> Errors { get; } = new();

    /// <summary>The next line of standard output, waiting for it (bounded).</summary>
    public string ReadLine() => _stdout.ReadLine(Patience) ?? throw new TimeoutException("the sample printed nothing more; stderr: " + string.Join('\n', Errors));

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

    /// <summary>Sends a signal (2 = SIGINT, 15 = SIGTERM).</summary>
    public void Signal(int signal) => Assert.That(kill(_process.Id, signal), Is.Zero);

    /// <summary>Waits (bounded) for the process to exit and returns its exit code.</summary>
    public int WaitForExit()
    {
        if (!_process.WaitForExit(Patience)) throw new TimeoutException("the sample did not exit");
        _process.WaitForExit(); // and let the standard error reader take the last lines
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

        public string? ReadLine(TimeSpan timeout) => _lines.TryTake(out var line, timeout) ? line : null;
    }
}
