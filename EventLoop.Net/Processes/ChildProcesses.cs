using System.ComponentModel;
using System.Diagnostics;

namespace EventLoop.Net;

/// <summary>Child processes on a <see cref="Loop"/> (asyncio's create_subprocess_exec).</summary>
public static class ChildProcesses
{
    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> (no shell: arguments
    /// are passed as they are). The pipes are ready once the returned task completes.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such program.</exception>
    /// <exception cref="InvalidOperationException">The program could not be started for another reason.</exception>
    public static async LoopTask<LoopProcess> StartProcessAsync(this Loop loop, string fileName, IEnumerable<string>? arguments = null,
        ProcessOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        loop.CheckThread();
        options ??= new ProcessOptions();
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = options.RedirectStandardInput,
            RedirectStandardOutput = options.RedirectStandardOutput,
            RedirectStandardError = options.RedirectStandardError,
            WorkingDirectory = options.WorkingDirectory ?? "",
        };
        foreach (var argument in arguments ?? []) start.ArgumentList.Add(argument);
        foreach (var (name, value) in options.Environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        }
        catch (Win32Exception e) when (e.NativeErrorCode == 2)
        {
            throw new FileNotFoundException($"Could not start '{fileName}': no such program (searched the PATH).", fileName, e);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start '{fileName}': {e.Message}", e);
        }

        var streamOptions = new ConnectionOptions { Limit = options.Limit };
        Connection? stdin = null, stdout = null, stderr = null;
        if (options.RedirectStandardInput)
        {
            stdin = new Connection(loop, streamOptions);
            _ = new PipeWriterTransport(loop, process.StandardInput.BaseStream, stdin.Protocol, $"pid {process.Id} stdin");
        }
        if (options.RedirectStandardOutput)
        {
            stdout = new Connection(loop, streamOptions);
            _ = new PipeReaderTransport(loop, process.StandardOutput.BaseStream, stdout.Protocol, $"pid {process.Id} stdout");
        }
        if (options.RedirectStandardError)
        {
            stderr = new Connection(loop, streamOptions);
            _ = new PipeReaderTransport(loop, process.StandardError.BaseStream, stderr.Protocol, $"pid {process.Id} stderr");
        }
        var child = new LoopProcess(loop, process, stdin, stdout, stderr);
        await loop.Yield(); // the transports' ConnectionMade has run: the pipes are usable
        return child;
    }
}
