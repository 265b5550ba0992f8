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
            // Only a bare name is looked up in the PATH; a path is used as it is.
            string where = fileName.Contains(Path.DirectorySeparatorChar) || fileName.Contains(Path.AltDirectorySeparatorChar)
                ? "no such file"
                : "no such program (searched the PATH)";
            throw new FileNotFoundException($"Could not start '{fileName}': {where}.", fileName, e);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start '{fileName}': {e.Message}", e);
        }

        var streamOptions = new ConnectionOptions { Limit = options.Limit };
        var stdin = options.RedirectStandardInput
            ? Connection.Create(loop, streamOptions, p => new PipeWriterTransport(loop, process.StandardInput.BaseStream, p, $"pid {process.Id} stdin"))
            : null;
        var stdout = options.RedirectStandardOutput
            ? Connection.Create(loop, streamOptions, p => new PipeReaderTransport(loop, process.StandardOutput.BaseStream, p, $"pid {process.Id} stdout"))
            : null;
        var stderr = options.RedirectStandardError
            ? Connection.Create(loop, streamOptions, p => new PipeReaderTransport(loop, process.StandardError.BaseStream, p, $"pid {process.Id} stderr"))
            : null;
        var child = new LoopProcess(loop, process, stdin, stdout, stderr);
        // The pipes are usable once their transports' ConnectionMade has run.
        foreach (var pipe in new[] { stdin, stdout, stderr })
        {
            if (pipe is not null) await pipe.Transport.WhenConnectionMadeAsync();
        }
        return child;
    }
}
