using System.Buffers;

namespace EventLoop.Net;

/// <summary>
/// The arrays a <see cref="ByteBuffer"/> starts with, kept per thread. A loop thread rents one
/// for every connection whose bytes wait in a buffer between two iterations (50 connections
/// ready at once rent 50), and <see cref="ArrayPool{T}.Shared"/> keeps only about 32 arrays of a
/// size per CPU: on a one-CPU container (or under taskset) the rest were allocated and dropped
/// again, ~900 B per echoed message. Everything here runs on the thread that owns the buffers,
/// so a plain stack suffices; it keeps at most <see cref="MaxKept"/> arrays (1 MiB) so a burst
/// of connections does not pin memory for good.
/// </summary>
internal static class SmallBufferPool
{
    /// <summary>The size of every array this pool hands out.</summary>
    public const int ArraySize = 4096;

    /// <summary>How many free arrays a thread keeps at most.</summary>
    public const int MaxKept = 256;

    [ThreadStatic] private static Stack<byte[]>? t_free;

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes.</summary>
    public static byte[] Rent(int minimumLength)
    {
        if (minimumLength > ArraySize) return ArrayPool<byte>.Shared.Rent(minimumLength);
        return t_free is { Count: > 0 } free ? free.Pop() : GC.AllocateUninitializedArray<byte>(ArraySize);
    }

    /// <summary>Takes back an array from <see cref="Rent"/>.</summary>
    public static void Return(byte[] array)
    {
        if (array.Length != ArraySize)
        {
            ArrayPool<byte>.Shared.Return(array);
            return;
        }
        var free = t_free ??= new Stack<byte[]>();
        if (free.Count < MaxKept) free.Push(array);
    }
}
