using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// The <c>echo</c> sub-mode, run as <see cref="GeneratorCommand"/> describes: each echo server in
/// a process of its own (<see cref="EchoRun"/>), one markdown table (<see cref="EchoReport"/>).
/// </summary>
internal static class EchoCommand
{
    public static int Run(string[] args) => GeneratorCommand.Run(
        new GeneratorCommand.Spec<EchoOptions, ServerKind, EchoResult>(
            Name: "echo",
            Usage: EchoOptions.Usage,
            Parse: EchoOptions.Parse,
            Describe: o => o.Describe(),
            Servers: o => o.Servers,
            Measure: EchoRun.MeasureAsync,
            Progress: (kind, r) => $"{kind.Name()}: {r.MessagesPerSecond:N0} msgs/s, {r.Messages:N0} messages verified in the window.",
            Table: EchoReport.Table),
        args);
}
