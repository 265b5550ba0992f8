namespace EventLoop.Tests;

/// <summary>
/// The README's "embed the loop" example, compiled and run here. The test also checks that the
/// README shows exactly these lines, so the documentation cannot drift from working code.
/// </summary>
public class ReadmeExampleTests
{
    private static void EmbedExample()
    {
        // README:embed begin
        using var loop = new Loop();

        async LoopTask<string> GreetAsync(string name)
        {
            await loop.Delay(TimeSpan.FromMilliseconds(10)); // straight-line code, no callbacks
            return $"Hello, {name}!";
        }

        // Your own frame loop pumps the event loop: one non-blocking step per frame.
        var greeting = loop.Spawn(() => GreetAsync("loop"));
        while (!greeting.IsCompleted)
            loop.RunOnce(TimeSpan.FromMilliseconds(16)); // waits at most one frame
        Console.WriteLine(greeting.Result);

        // Or give the loop a thread of its own: loop.RunUntilComplete(...), loop.RunForever().
        // README:embed end
    }

    [Test]
    public void TheEmbedExampleRunsAndPrintsItsGreeting()
    {
        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try { EmbedExample(); }
        finally { Console.SetOut(original); }

        Assert.That(output.ToString().Trim(), Is.EqualTo("Hello, loop!"));
    }

    [Test]
    public void TheReadmeShowsExactlyTheTestedExample()
    {
        string root = FindRepositoryRoot();
        var source = Dedent(Between(File.ReadAllLines(Path.Combine(root, "EventLoop.Tests", "ReadmeExampleTests.cs")), "// README:embed begin", "// README:embed end"));
        var readme = Between(File.ReadAllLines(Path.Combine(root, "README.md")), "<!-- embed-example begin -->", "<!-- embed-example end -->")
            .Where(line => !line.StartsWith("```", StringComparison.Ordinal)).ToList();

        Assert.That(readme, Is.EqualTo(source));
    }

    private static List<string> Between(IEnumerable<string> lines, string begin, string end) =>
        lines.SkipWhile(l => !l.Contains(begin)).Skip(1).TakeWhile(l => !l.Contains(end)).ToList();

    private static List<string> Dedent(List<string> lines)
    {
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim()).ToList();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventLoop.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("EventLoop.sln not found above the test directory.");
    }
}
