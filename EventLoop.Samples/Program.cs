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

// One console app, one sub-command a sample. `--help` lists them.
var root = new RootCommand("EventLoop samples: small programs that show the loop at work.")
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
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && args.Length > 0) // no arguments at all: the help below says what to type
{
    // A bad option value or an unknown option: one line saying what is wrong, exit code 2 (as getopt tools do).
    Console.Error.WriteLine(parsed.Errors[0].Message);
    return 2;
}
return parsed.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
