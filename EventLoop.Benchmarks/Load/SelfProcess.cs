using System.Diagnostics;

namespace EventLoop.Benchmarks.Load;

/// <summary>Starts this same Benchmarks executable in another mode, optionally pinned to CPUs with taskset.</summary>
internal static class SelfProcess
{
    /// <summary>
    /// Set in the generator process, so it does not re-launch itself again: "pinned" or
    /// "unpinned". The parent decides, because a pinned generator sees only its own CPUs.
    /// </summary>
    public const string GeneratorMarker = "EVENTLOOP_LOAD_GENERATOR";

    /// <summary>
    /// Makes the runtime resume socket completions on its epoll thread instead of the thread pool.
    /// Set for the generator only (fewer thread hops: a cheaper generator); never for a server,
    /// whose baseline must be .NET's default.
    /// </summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private static readonly Lazy<string?> Taskset = new(FindTaskset);

    /// <summary>True where CPUs can be pinned: Linux with taskset and at least two CPUs.</summary>
    public static bool CanPin => Taskset.Value is not null && Environment.ProcessorCount >= 2;

    /// <summary>The CPU the servers run on; the generator gets the others.</summary>
    public const int ServerCpu = 0;

    public static string GeneratorCpus => $"1-{Environment.ProcessorCount - 1}";

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? cpus)
    {
        var psi = new ProcessStartInfo { UseShellExecute = false };
        var command = new List<string>();
        // Under "dotnet EventLoop.Benchmarks.dll" the process path is the dotnet host: pass the dll.
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which executable this is.");
        command.Add(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") command.Add(typeof(SelfProcess).Assembly.Location);
        command.AddRange(args);
        if (cpus is not null)
        {
            command.InsertRange(0, [Taskset.Value!, "-c", cpus]);
        }
        psi.FileName = command[0];
        foreach (var arg in command.Skip(1)) psi.ArgumentList.Add(arg);
        return psi;
    }

    /// <summary>Kills a child and everything it started; never throws (used on failure paths).</summary>
    public static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    private static string? FindTaskset()
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "taskset");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
