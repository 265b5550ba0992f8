using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>What listening and connecting sockets share: TCP or Unix domain sockets, the default endpoint, socket files.</summary>
internal static class Listeners
{
    /// <summary>Where servers listen when the caller names no endpoint: loopback, a free port.</summary>
    public static EndPoint DefaultEndPoint => new IPEndPoint(IPAddress.Loopback, 0);

    public static Socket NewStreamSocket(EndPoint endpoint) => endpoint is UnixDomainSocketEndPoint
        ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>The file path of a Unix endpoint, or null for an abstract one (no file).</summary>
    public static string? SocketFilePath(UnixDomainSocketEndPoint endpoint)
    {
        string path = endpoint.ToString();
        return path.Length == 0 || path[0] == '\0' || path[0] == '@' ? null : path;
    }

    /// <summary>
    /// A socket file left by an earlier run that crashed blocks Bind. If nobody accepts on it,
    /// it is stale: remove it. If a live server answers, refuse, rather than steal its address.
    /// A file with content is never a socket: leave it, and let Bind report the conflict.
    /// </summary>
    public static void RemoveStaleSocketFile(UnixDomainSocketEndPoint endpoint)
    {
        if (SocketFilePath(endpoint) is not { } path || !File.Exists(path) || new FileInfo(path).Length != 0) return;
        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(endpoint);
                throw new SocketException((int)SocketError.AddressAlreadyInUse);
            }
            catch (SocketException e) when (e.SocketErrorCode != SocketError.AddressAlreadyInUse)
            {
                // Refused: nobody listens there. The file is stale.
            }
        }
        File.Delete(path);
    }
}
