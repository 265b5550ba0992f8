using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// Opens listening sockets the way every server here does (Python's <c>socket.create_server</c>),
/// for code that accepts with <see cref="SocketAwaits.AcceptAsync"/> itself.
/// </summary>
public static class ServerSocket
{
    // Raw option numbers: .NET's ReuseAddress sets SO_REUSEADDR *and* SO_REUSEPORT on Linux and
    // macOS, which lets a second server silently take half of this one's connections.
    private const int LinuxSolSocket = 1, LinuxSoReuseAddr = 2, LinuxSoReusePort = 15;
    private const int BsdSolSocket = 0xffff, BsdSoReuseAddr = 0x4, BsdSoReusePort = 0x200;

    /// <summary>
    /// A non-blocking socket bound to <paramref name="endpoint"/> and listening with
    /// <see cref="ServerOptions.Backlog"/> (default: the system maximum). TCP sockets get
    /// SO_REUSEADDR on POSIX (a restarted server rebinds a port still in TIME_WAIT, as asyncio and
    /// Kestrel do) but never SO_REUSEPORT unless <see cref="ServerOptions.ReusePort"/> asks for it. A
    /// stale Unix socket file from a crashed run is replaced; a live server's never is.
    /// </summary>
    /// <exception cref="SocketException">
    /// The endpoint cannot be listened on; the message names it. <see cref="SocketError.AddressAlreadyInUse"/>
    /// when another socket listens there.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException"><see cref="ServerOptions.ReusePort"/> on Windows.</exception>
    public static Socket Listen(EndPoint endpoint, ServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new ServerOptions();
        var listener = Listeners.NewStreamSocket(endpoint);
        try
        {
            if (endpoint is IPEndPoint) SetReuseOptions(listener, options.ReusePort);
            try
            {
                if (endpoint is UnixDomainSocketEndPoint unix) Listeners.RemoveStaleSocketFile(unix);
                listener.Bind(endpoint);
                listener.Listen(options.Backlog);
            }
            catch (SocketException e)
            {
                throw new SocketException((int)e.SocketErrorCode, CannotListen(endpoint, e));
            }
            listener.Blocking = false;
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static void SetReuseOptions(Socket listener, bool reusePort)
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows' SO_REUSEADDR lets another socket steal a bound port: never set it there.
            if (reusePort) throw new PlatformNotSupportedException("ServerOptions.ReusePort is not available on Windows.");
            return;
        }
        bool linux = OperatingSystem.IsLinux();
        int level = linux ? LinuxSolSocket : BsdSolSocket;
        Span<byte> on = BitConverter.GetBytes(1);
        listener.SetRawSocketOption(level, linux ? LinuxSoReuseAddr : BsdSoReuseAddr, on);
        if (reusePort) listener.SetRawSocketOption(level, linux ? LinuxSoReusePort : BsdSoReusePort, on);
    }

    private static string CannotListen(EndPoint endpoint, SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse when endpoint is IPEndPoint =>
            $"Cannot listen on {endpoint}: address already in use (another socket listens there; servers share a port only when each sets ServerOptions.ReusePort).",
        SocketError.AddressAlreadyInUse => $"Cannot listen on {endpoint}: address already in use (a live server listens there).",
        _ => $"Cannot listen on {endpoint}: {e.Message}.",
    };
}
