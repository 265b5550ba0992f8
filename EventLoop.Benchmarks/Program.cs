using BenchmarkDotNet.Running;

namespace EventLoop.Benchmarks;

/// <summary>
/// Entry point. The first argument may name a sub-mode that is not a BenchmarkDotNet run (the
/// "echo" and "chat" load generators, which measure servers in processes of their own); anything else goes to
/// BenchmarkDotNet, so the usual <c>--filter</c>, <c>--job</c> and <c>--list</c> options work.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args.FirstOrDefault() switch
    {
        // Sub-modes go here, each as: "name" => SubMode.Run(args[1..]),
        "echo" => Echo.EchoCommand.Run(args[1..]),
        "echo-server" => Echo.EchoServerMode.Run(args[1..]), // hidden: started by "echo", one server per process
        "http" => Http.HttpCommand.Run(args[1..]),
        "http-server" => Http.HttpServerMode.Run(args[1..]), // hidden: started by "http", one server per process
        "chat" => Chat.ChatCommand.Run(args[1..]),
        "chat-server" => Chat.ChatServerMode.Run(args[1..]), // hidden: started by "chat", one server per process
        "connect-burst" => Burst.ConnectBurstCommand.Run(args[1..]),
        _ => RunBenchmarks(args),
    };

    private static int RunBenchmarks(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        // A benchmark that failed to build or run must not look like a successful run to a script.
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
