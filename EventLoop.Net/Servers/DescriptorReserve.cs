using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;

namespace EventLoop.Net;

/// <summary>
/// One descriptor held back for the moment the process runs out (libuv's and libev's trick).
/// An accept that fails with "too many open files" leaves the connection in the kernel's queue,
/// where its client would wait for minutes while the listener stays readable and the loop spins.
/// With the spare descriptor freed, the pending connections can be accepted and closed at once,
/// so their clients learn straight away, and the spare is taken back. One per process, shared by
/// every listener on every loop, so the exchange is made under a lock.
/// </summary>
internal static class DescriptorReserve
{
    private static readonly Lock s_lock = new();
    private static SafeFileHandle? s_spare;

    /// <summary>Takes the spare descriptor if it is not held yet (servers call this when they start).</summary>
    public static void Ensure()
    {
        lock (s_lock) s_spare ??= TryOpen();
    }

    /// <summary>
    /// Accepts and closes up to <paramref name="max"/> pending connections of <paramref name="listener"/>
    /// using the spare descriptor's slot. Returns how many it closed, or -1 when it could not close
    /// any: no spare was held, or another thread took the freed slot first.
    /// </summary>
    public static int AcceptAndClose(Socket listener, int max)
    {
        lock (s_lock)
        {
            s_spare ??= TryOpen();
            if (s_spare is null) return -1;
            s_spare.Dispose();
            s_spare = null;
            int closed = 0;
            try
            {
                for (; closed < max; closed++) listener.Accept().Dispose();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                // The queue is empty.
            }
            catch (SocketException)
            {
                // Still out of descriptors, or a connection that failed on its own: stop here.
                if (closed == 0) closed = -1;
            }
            finally
            {
                s_spare = TryOpen();
            }
            return closed;
        }
    }

    private static SafeFileHandle? TryOpen()
    {
        try
        {
            return File.OpenHandle(OperatingSystem.IsWindows() ? "NUL" : "/dev/null");
        }
        catch (IOException)
        {
            return null; // out of descriptors right now: the next exchange tries again
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
