using EventLoop.Net;

namespace EventLoop.Benchmarks.Echo;

/// <summary>Server 1: the straight-line stream handler a user of the library would write.</summary>
internal static class StreamsEcho
{
    /// <summary>Per connection; the same size as the .NET baseline's buffer so neither reads in smaller bites.</summary>
    public const int BufferSize = 16 * 1024;

    public static async LoopTask Handle(Connection connection)
    {
        EchoConnections.Opened();
        try
        {
            var buffer = new byte[BufferSize];
            while (true)
            {
                int n = await connection.ReadAsync(buffer);
                if (n == 0) break;
                connection.Write(buffer.AsSpan(0, n));
                await connection.DrainAsync();
            }
        }
        finally
        {
            EchoConnections.Closed();
        }
    }
}
