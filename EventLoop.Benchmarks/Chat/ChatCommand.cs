using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// The <c>chat</c> sub-mode, run as <see cref="GeneratorCommand"/> describes: each chat server in a
/// process of its own (<see cref="ChatRun"/>), one markdown table (<see cref="ChatReport"/>).
/// </summary>
internal static class ChatCommand
{
    public static int Run(string[] args) => GeneratorCommand.Run(
        new GeneratorCommand.Spec<ChatOptions, ChatServerKind, ChatResult>(
            Name: "chat",
            Usage: ChatOptions.Usage,
            Parse: ChatOptions.Parse,
            Describe: o => o.Describe(),
            Servers: o => o.Servers,
            Measure: ChatRun.MeasureAsync,
            Progress: (kind, r) => $"{kind.Name()}: {r.LinesPerSecond:N0} lines/s, {r.Lines:N0} lines delivered and verified in the window, {r.CpuMicrosecondsPerLine:0.00} µs/line; over the whole load {r.LoadLines:N0} lines, {(r.Syscalls is { } c ? $"{c.Sends:N0} send calls, {c.Waits:N0} waits" : "calls not counted")}, the generator's client thread allocated {r.GeneratorAllocated:N0} B.",
            Table: ChatReport.Table),
        args);
}
