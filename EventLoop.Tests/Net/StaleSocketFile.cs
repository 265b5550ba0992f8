using System.Runtime.InteropServices;
using System.Text;

namespace EventLoop.Tests.Net;

/// <summary>
/// Leaves a Unix socket file behind the way a crashed server does. .NET's Socket removes the
/// file when it is disposed, so this binds through libc and closes without unlinking.
/// </summary>
internal static class StaleSocketFile
{
    [DllImport("libc", SetLastError = true)] private static extern int socket(int domain, int type, int protocol);
    [DllImport("libc", SetLastError = true)] private static extern int bind(int fd, byte[] address, int length);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);

    public static void Create(string path)
    {
        const int AF_UNIX = 1, SOCK_STREAM = 1;
        var pathBytes = Encoding.UTF8.GetBytes(path);
        var address = new byte[2 + pathBytes.Length + 1]; // sa_family_t, sun_path, NUL
        address[0] = AF_UNIX;
        pathBytes.CopyTo(address, 2);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), "socket()");
        try { Assert.That(bind(fd, address, address.Length), Is.Zero, "bind()"); }
        finally { close(fd); }
    }
}
