using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests.Samples.Http;

/// <summary>A response as the tests' own minimal client reads it off a connection.</summary>
public sealed record HttpResponse(int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Reads one response: status line, headers, then Content-Length bytes of body (none for a HEAD or a 100).</summary>
    public static async LoopTask<HttpResponse> ReadAsync(Connection connection, bool toHead = false)
    {
        var head = Encoding.ASCII.GetString(await connection.ReadUntilAsync("\r\n\r\n"u8.ToArray()));
        var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("HTTP/1.1 "), "status line");
        int status = int.Parse(lines[0].Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            Assert.That(headers.TryAdd(line[..colon], line[(colon + 1)..].Trim()), Is.True, "duplicate header " + line);
        }
        int length = status == 100 || toHead ? 0 : int.Parse(headers["Content-Length"]);
        var body = length == 0 ? [] : await connection.ReadExactlyAsync(length);
        return new HttpResponse(status, headers, body);
    }

    /// <summary>Reads until the server closes; returns what came.</summary>
    public static async LoopTask<byte[]> ReadToCloseAsync(Connection connection)
    {
        var all = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await connection.ReadAsync(buffer)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }
}
