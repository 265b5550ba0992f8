using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Tests.Net;

[TestFixture(SelectorKind.Default)]
[TestFixture(SelectorKind.SocketSelect)]
public class UnixSocketTests(SelectorKind selector) : NetTestBase(selector)
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("eventloop-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void StreamServerAndClientOverAUnixSocket_TheFileIsRemovedOnClose()
    {
        var path = Path.Combine(_directory, "echo.sock");
        var reply = Run(async () =>
        {
            var server = await Loop.StartServerAsync(EchoHandler, new UnixDomainSocketEndPoint(path));
            Assert.That(File.Exists(path), Is.True);
            var client = await Loop.OpenConnectionAsync(new UnixDomainSocketEndPoint(path));
            client.WriteLine("over unix");
            var line = await client.ReadLineAsync();
            await client.CloseAsync();
            server.Close();
            await server.WaitClosedAsync();
            return line;
        });

        Assert.That(reply, Is.EqualTo("over unix"));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void AStaleSocketFileFromAnEarlierRunIsReplaced()
    {
        var path = Path.Combine(_directory, "stale.sock");
        StaleSocketFile.Create(path); // what a crashed server leaves: a socket file, nobody listening
        Assert.That(File.Exists(path), Is.True);

        var server = Loop.RunUntilComplete(Loop.StartServerAsync(EchoHandler, new UnixDomainSocketEndPoint(path)));

        Assert.That(server.IsServing, Is.True);
        server.Close();
    }

    [Test]
    public void ARegularFileAtTheSocketPathIsNeverDeleted()
    {
        var path = Path.Combine(_directory, "precious.txt");
        File.WriteAllText(path, "not a socket");

        Assert.Throws<SocketException>(() => Loop.RunUntilComplete(Loop.StartServerAsync(EchoHandler, new UnixDomainSocketEndPoint(path))));
        Assert.That(File.ReadAllText(path), Is.EqualTo("not a socket"));
    }

    [Test]
    public void ALiveServersSocketIsNotStolen()
    {
        var path = Path.Combine(_directory, "live.sock");
        var first = Loop.RunUntilComplete(Loop.StartServerAsync(EchoHandler, new UnixDomainSocketEndPoint(path)));

        var error = Assert.Throws<SocketException>(() => Loop.RunUntilComplete(Loop.StartServerAsync(EchoHandler, new UnixDomainSocketEndPoint(path))));
        Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.AddressAlreadyInUse));
        first.Close();
    }
}
