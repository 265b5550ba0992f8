using System.CommandLine;
using EventLoop.Samples.Counter;

// One console app, one sub-command a sample. `--help` lists them.
var root = new RootCommand("EventLoop samples: small programs that show the loop at work.")
{
    CounterSample.CreateCommand(),
};
return root.Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
