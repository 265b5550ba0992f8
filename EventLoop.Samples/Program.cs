using System.CommandLine;
using EventLoop.Net;
using EventLoop.Samples.Chat;
using EventLoop.Samples.Client;
using EventLoop.Samples.Counter;
using EventLoop.Samples.Echo;
using EventLoop.Samples.Fib;
using EventLoop.Samples.Host;
using EventLoop.Samples.Wc;

// Every connection holds a descriptor: take all the process may have (as Go does at start).
OpenFileLimit.RaiseToHardLimit();

// One console app, one sub-command a sample. `--help` lists them.
var root = new RootCommand("EventLoop samples: small programs that show the loop at work.")
{
    EchoSample.CreateCommand(),
    EchoProtocolSample.CreateCommand(),
    EchoSocketsSample.CreateCommand(),
    ChatSample.CreateCommand(),
    ChatProtocolSample.CreateCommand(),
    ClientSample.CreateCommand(),
    CounterSample.CreateCommand(),
    FibSample.CreateCommand(),
    HostSample.CreateCommand(),
    WcSample.CreateCommand(),
};
return root.Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
