using System.CommandLine;
using EventLoop.Samples.Chat;
using EventLoop.Samples.Client;
using EventLoop.Samples.Counter;
using EventLoop.Samples.Echo;
using EventLoop.Samples.Fib;
using EventLoop.Samples.Gateway;
using EventLoop.Samples.Host;
using EventLoop.Samples.Http;
using EventLoop.Samples.Wc;

namespace EventLoop.Samples;

/// <summary>The command line: one sub-command a sample, and what a usage error looks like.</summary>
public static class SampleCommands
{
    /// <summary>The exit code of a usage error (a value out of range, an unknown option...), as getopt tools use.</summary>
    public const int UsageError = 2;

    /// <summary>Every sample as a sub-command; <c>--help</c> lists them.</summary>
    public static RootCommand CreateRoot() => new("EventLoop samples: small programs that show the loop at work.")
    {
        EchoSample.CreateCommand(),
        EchoProtocolSample.CreateCommand(),
        EchoSocketsSample.CreateCommand(),
        EchoDispatcherSample.CreateCommand(),
        ChatSample.CreateCommand(),
        ChatProtocolSample.CreateCommand(),
        ClientSample.CreateCommand(),
        CounterSample.CreateCommand(),
        FibSample.CreateCommand(),
        GatewaySample.CreateCommand(),
        HostSample.CreateCommand(),
        HttpSample.CreateCommand(),
        WcSample.CreateCommand(),
    };

    /// <summary>
    /// Parses <paramref name="args"/> and runs the sample they name. A usage error runs nothing:
    /// one line per error on <paramref name="error"/> ("counter: --interval must be ..."), no
    /// help text, exit code <see cref="UsageError"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter error)
    {
        var parsed = CreateRoot().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) error.WriteLine($"{parsed.CommandResult.Command.Name}: {parseError.Message}");
            return UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
