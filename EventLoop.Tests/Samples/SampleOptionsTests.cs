namespace EventLoop.Tests.Samples;

/// <summary>Bad option values are refused before anything starts: one line on standard error, exit code 2.</summary>
[Platform("Linux")]
[NonParallelizable]
public class SampleOptionsTests
{
    [TestCase("http", "--port", "70000")]
    [TestCase("http", "--idle-timeout", "0")]
    [TestCase("http", "--max-body", "-1")]
    [TestCase("http", "--host", "not-an-address")]
    [TestCase("gateway", "--to", "nowhere")]
    [TestCase("gateway", "--to", "127.0.0.1:0")]
    [TestCase("gateway")]
    [TestCase("echo-dispatcher", "--port", "-5")]
    public void ABadValueIsOneLineAndExitCode2(params string[] arguments)
    {
        using var process = new SampleProcess(arguments);
        int exitCode = process.WaitForExit();
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(process.Errors, Has.Count.EqualTo(1), string.Join('\n', process.Errors));
    }
}
