using System.Diagnostics;

namespace EventLoop.Tests.Samples;

/// <summary>A real client program (curl, ab, ...) run to completion, or the test skipped when it is not installed.</summary>
public static class Tool
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Skips the test, saying how to install <paramref name="name"/>, unless it is on the PATH.</summary>
    public static void Require(string name, string debianPackage)
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
        if (!found) Assert.Ignore($"{name} is not installed (apt-get install -y {debianPackage}); this real-client check was skipped.");
    }

    /// <summary>Runs <paramref name="name"/> and returns its exit code and output (bounded in time).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string name, params string[] arguments)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{name} did not finish within {Patience.TotalSeconds} s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
