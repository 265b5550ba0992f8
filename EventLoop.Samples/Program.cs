using EventLoop.Net;
using EventLoop.Samples;

// Every connection holds a descriptor: take all the process may have (as Go does at start).
OpenFileLimit.RaiseToHardLimit();

// One console app, one sub-command a sample. `--help` lists them.
return SampleCommands.Run(args, Console.Error);
