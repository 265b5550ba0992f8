using System.Net;
using System.Net.Sockets;

namespace EventLoop;

/// <summary>
/// .NET has no socketpair(): a connected pair of non-blocking TCP sockets made through a
/// short-lived loopback listener. The loop's wake-up channel uses one; tests use them too.
/// </summary>
internal static class LoopbackSocketPair
{
    public static (Socket First, Socket Second) Create()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            first.Connect(listener.LocalEndPoint!);
            var second = listener.Accept();
            first.Blocking = false;
            second.Blocking = false;
            return (first, second);
        }
        catch
        {
            first.Dispose();
            throw;
        }
    }
}
