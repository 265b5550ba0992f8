using System.Buffers;
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
            while (true)
            {
                // The library's idle-friendly idiom (as the echo sample): wait with a zero-byte
                // read, rent a buffer only while there is data.
                await connection.ReadAsync(Memory<byte>.Empty);
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                int n = await connection.ReadAsync(buffer);
                if (n > 0) connection.Write(buffer.AsSpan(0, n));
                ArrayPool<byte>.Shared.Return(buffer);
                if (n == 0) break;
                await connection.DrainAsync();
            }
        }
        finally
        {
            EchoConnections.Closed();
        }
    }
}
