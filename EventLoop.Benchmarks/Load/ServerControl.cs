using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// The control side of a hidden server sub-mode (<c>echo-server</c>, <c>chat-server</c>): one
/// server in a process of its own, so its CPU time and allocations are its own. Arguments:
/// <c>--kind K [--port 0] [--max-seconds N]</c>. After the server has printed where it listens, the
/// generator drives it with lines on standard input — <c>start</c> (answers <c>started</c>),
/// <c>stop</c> (answers with the window's numbers, see <see cref="ServerWindow"/>), <c>exit</c> or
/// end of input; a sub-mode may answer more commands. A watchdog exits the process after
/// --max-seconds, so an orphan never outlives a crashed parent for long.
/// </summary>
internal static class ServerControl
{
    /// <summary>What a server sub-mode was asked to run.</summary>
    public sealed record Arguments(string Kind, int Port, int MaxSeconds);

    /// <exception cref="ArgumentException">An unknown option, or no --kind.</exception>
    public static Arguments Parse(string mode, string[] args)
    {
        string? kind = null;
        int port = 0;
        int maxSeconds = 300;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--kind": kind = args[i + 1]; break;
                case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--max-seconds": maxSeconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown {mode} option {args[i]}.");
            }
        }
        return new Arguments(kind ?? throw new ArgumentException($"{mode} needs --kind."), port, maxSeconds);
    }

    /// <summary>Exits the process with code 3 once <paramref name="maxSeconds"/> have passed; dispose to disarm.</summary>
    public static IDisposable StartWatchdog(string mode, int maxSeconds) =>
        new Timer(_ =>
        {
            Console.Error.WriteLine($"{mode}: still running after {maxSeconds} s; exiting.");
            Environment.Exit(3);
        }, null, TimeSpan.FromSeconds(maxSeconds), Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Answers the generator's commands until <c>exit</c> or the end of input.
    /// <paramref name="otherCommand"/> answers anything else (null: ignored).
    /// </summary>
    public static void Serve(Func<int> openConnections, Func<ReadOnlySpan<byte>, string?>? otherCommand = null)
    {
        using var stdout = OpenStandardOutput();
        using var stdin = Console.OpenStandardInput();
        using var self = Process.GetCurrentProcess();
        var window = new ServerWindow(self, openConnections);
        var line = new byte[64];
        while (ReadLine(stdin, line) is { } length)
        {
            var command = line.AsSpan(0, length);
            if (command.SequenceEqual("start"u8))
            {
                window.Start();
                stdout.Write("started\n"u8); // raw bytes: no allocation inside the window
                stdout.Flush();
            }
            else if (command.SequenceEqual("stop"u8))
            {
                window.Stop();
                Reply(stdout, window.Format());
            }
            else if (command.SequenceEqual("exit"u8))
            {
                break;
            }
            else if (otherCommand?.Invoke(command) is { } answer)
            {
                Reply(stdout, answer);
            }
        }
    }

    /// <summary>
    /// Standard output itself — descriptor 1 on Unix, where Console.OpenStandardOutput would write
    /// through a duplicate with a higher number — so a count of the server's writes on descriptors
    /// above 2 (<see cref="SyscallCounter"/>) leaves the control replies out.
    /// </summary>
    private static Stream OpenStandardOutput() => OperatingSystem.IsWindows()
        ? Console.OpenStandardOutput()
        : new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);

    private static void Reply(Stream stdout, string answer)
    {
        stdout.Write(Encoding.ASCII.GetBytes(answer + "\n"));
        stdout.Flush();
    }

    /// <summary>
    /// Reads one line into <paramref name="line"/> a byte at a time, straight from the input
    /// stream: unlike Console.ReadLine this allocates nothing, and the "stop" command is read
    /// inside the measured window. Null at end of input.
    /// </summary>
    private static int? ReadLine(Stream input, byte[] line)
    {
        int length = 0;
        Span<byte> one = stackalloc byte[1];
        while (true)
        {
            if (input.Read(one) == 0) return length > 0 ? length : null;
            if (one[0] == (byte)'\n') return length;
            if (one[0] != (byte)'\r' && length < line.Length) line[length++] = one[0];
        }
    }
}
