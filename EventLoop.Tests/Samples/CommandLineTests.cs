using System.Net;
using EventLoop.Samples;

namespace EventLoop.Tests.Samples;

/// <summary>
/// Every option of every sample is checked before anything runs: a bad value is one line naming
/// the command and the option, and exit code 2 — never a stack trace, never a silent no-op.
/// </summary>
public class CommandLineTests
{
    [TestCase("counter --interval 0", "counter: --interval must be a number of seconds above 0")]
    [TestCase("counter --interval -1", "counter: --interval must be a number of seconds above 0")]
    [TestCase("counter --interval NaN", "counter: --interval must be a number of seconds above 0")]
    [TestCase("counter --interval 1e300", "counter: --interval must be a number of seconds above 0")]
    [TestCase("counter --interval abc", "counter: Cannot parse argument 'abc' for option '--interval'")]
    [TestCase("counter --limit 0", "counter: --limit must be at least 1 (got 0).")]
    [TestCase("fib --from -3", "fib: --from must be between 0 and 92 (got -3).")]
    [TestCase("fib --from 10 --to 5", "fib: --to must not be less than --from (got --from 10 --to 5).")]
    [TestCase("fib --from 50", "fib: --to must not be less than --from (got --from 50 --to 40).")]
    [TestCase("fib --to 93", "fib: --to must be between 0 and 92 (got 93).")]
    [TestCase("fib --interval 0", "fib: --interval must be a number of seconds above 0")]
    [TestCase("client --port 0", "client: --port must be between 1 and 65535 (got 0).")]
    [TestCase("client --port 65536", "client: --port must be between 1 and 65535 (got 65536).")]
    [TestCase("client --host nosuch.invalid", "client: --host: cannot resolve 'nosuch.invalid'")]
    [TestCase("echo --port -1", "echo: --port must be between 0 and 65535 (got -1).")]
    [TestCase("echo-protocol --port 70000", "echo-protocol: --port must be between 0 and 65535 (got 70000).")]
    [TestCase("echo-sockets --host nosuch.invalid", "echo-sockets: --host: cannot resolve 'nosuch.invalid'")]
    [TestCase("wc --port 99999", "wc: --port must be between 0 and 65535 (got 99999).")]
    [TestCase("chat --name", "chat: Required argument missing for option: '--name'.")]
    [TestCase("chat-protocol --port -5", "chat-protocol: --port must be between 0 and 65535 (got -5).")]
    [TestCase("host --announce-every 0", "host: --announce-every must be a number of seconds above 0")]
    [TestCase("host --host 999.1.1.1", "host: --host: cannot resolve '999.1.1.1'")]
    [TestCase("counter --bogus", "counter: Unrecognized command or argument '--bogus'.")]
    public void ABadValueIsOneLineAndExitCode2(string commandLine, string message)
    {
        var (exitCode, lines) = Run(commandLine.Split(' '));

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0], Does.StartWith(message));
    }

    [TestCase("")]
    [TestCase("  ")]
    [TestCase("two\nlines")]
    public void TheChatsServerNameMustBeOneLineOfText(string name)
    {
        foreach (var chat in new[] { "chat", "chat-protocol" })
        {
            var (exitCode, lines) = Run([chat, "--name", name]);
            Assert.That(exitCode, Is.EqualTo(2), chat);
            Assert.That(lines, Has.Count.EqualTo(1), chat);
            Assert.That(lines[0], Does.StartWith($"{chat}: --name must not"));
        }
    }

    [Test]
    public void AHostNameResolvesToItsAddresses()
    {
        var parsed = SampleCommands.CreateRoot().Parse(["echo", "--host", "localhost", "--port", "0"]);

        Assert.That(parsed.Errors, Is.Empty);
        var host = parsed.GetValue<HostAddresses>("--host")!;
        Assert.That(host.Host, Is.EqualTo("localhost"));
        Assert.That(host.Addresses, Is.Not.Empty.And.All.Matches<IPAddress>(IPAddress.IsLoopback));
    }

    [Test]
    public void TheDefaultsAreValid()
    {
        foreach (var sample in new[] { "echo", "echo-protocol", "echo-sockets", "chat", "chat-protocol", "client", "counter", "fib", "host", "wc" })
            Assert.That(SampleCommands.CreateRoot().Parse([sample]).Errors, Is.Empty, sample);
    }

    private static (int ExitCode, List<string> Lines) Run(string[] args)
    {
        var error = new StringWriter();
        int exitCode = SampleCommands.Run(args, error);
        return (exitCode, error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList());
    }
}
