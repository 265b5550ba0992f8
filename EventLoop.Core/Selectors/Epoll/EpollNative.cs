using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EventLoop;

/// <summary>
/// The three epoll calls, through libc. Events are passed as bytes rather than a struct because
/// <c>struct epoll_event</c> is packed on x86 and x86-64 (12 bytes, data at offset 4) but
/// naturally aligned elsewhere (16 bytes, data at offset 8): one layout chosen at run time
/// covers both, with no unsafe code.
/// </summary>
internal static class EpollNative
{
    public const int CtlAdd = 1;
    public const int CtlDel = 2;
    public const int CtlMod = 3;

    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Err = 0x008;
    public const uint Hup = 0x010;

    private const int CloseOnExec = 0x80000; // EPOLL_CLOEXEC = O_CLOEXEC: child processes do not inherit it
    public const int Eintr = 4;

    private static readonly bool Packed =
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    /// <summary>Bytes one <c>struct epoll_event</c> takes in an array.</summary>
    public static readonly int EventSize = Packed ? 12 : 16;

    private static readonly int DataOffset = Packed ? 4 : 8;

    public static void WriteEvent(Span<byte> events, int index, uint flags, ulong data)
    {
        var one = events.Slice(index * EventSize, EventSize);
        BinaryPrimitives.WriteUInt32LittleEndian(one, flags);
        BinaryPrimitives.WriteUInt64LittleEndian(one[DataOffset..], data);
    }

    public static (uint Flags, ulong Data) ReadEvent(ReadOnlySpan<byte> events, int index)
    {
        var one = events.Slice(index * EventSize, EventSize);
        return (BinaryPrimitives.ReadUInt32LittleEndian(one), BinaryPrimitives.ReadUInt64LittleEndian(one[DataOffset..]));
    }

    public static SafeEpollHandle Create()
    {
        var handle = epoll_create1(CloseOnExec);
        if (handle.IsInvalid) throw Error("epoll_create1");
        return handle;
    }

    /// <summary><c>epoll_ctl</c>; returns 0 or the errno.</summary>
    public static int Control(SafeEpollHandle epoll, int op, int fd, byte[] oneEvent) =>
        epoll_ctl(epoll, op, fd, oneEvent) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary><c>epoll_wait</c>; returns the number of events, or -errno.</summary>
    public static int Wait(SafeEpollHandle epoll, byte[] events, int maxEvents, int timeoutMilliseconds)
    {
        int n = epoll_wait(epoll, events, maxEvents, timeoutMilliseconds);
        return n >= 0 ? n : -Marshal.GetLastPInvokeError();
    }

    public static System.ComponentModel.Win32Exception Error(string call, int errno = 0) =>
        new(errno == 0 ? Marshal.GetLastPInvokeError() : errno, $"{call} failed");

    // Blittable signatures: byte[] is pinned, not copied, so the kernel writes straight into it.
    [DllImport("libc", SetLastError = true)]
    private static extern SafeEpollHandle epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(SafeEpollHandle epfd, int op, int fd, byte[] eventData);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(SafeEpollHandle epfd, byte[] events, int maxEvents, int timeout);

    [DllImport("libc", SetLastError = true)]
    internal static extern int close(IntPtr fd);
}
