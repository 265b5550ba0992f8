using EventLoop.Samples;

// One console app, one sub-command a sample. `--help` lists them.
return SampleCommands.Run(args, Console.Error);
