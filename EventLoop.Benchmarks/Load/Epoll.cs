using System.Buffers.Binary;
using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// Bare, level-triggered epoll for the benchmark's own hand-written loops (the chat floor server
/// and the chat load generator), through libc: independent of the library under test, and
/// allocation-free once built. Each socket is registered with a 64-bit token of the caller's
/// choosing, reported back with its events. Linux only; one thread.
/// </summary>
internal sealed class Epoll : IDisposable
{
    public const uint In = 0x001, Out = 0x004, Err = 0x008, Hup = 0x010;
    private const int Add = 1, Delete = 2, Modify = 3;
    private const int CloseOnExec = 0x80000;
    private const int Interrupted = 4; // EINTR

    // struct epoll_event is packed on x86/x86-64 (12 bytes, data at 4), aligned elsewhere (16, at 8).
    private static readonly bool Packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;
    private static readonly int EventSize = Packed ? 12 : 16;
    private static readonly int DataOffset = Packed ? 4 : 8;

    private readonly int _epoll;
    private readonly byte[] _events;
    private readonly byte[] _one = new byte[16];
    private readonly int _capacity;

    public Epoll(int maxEventsPerWait)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The chat benchmark's floor server and load generator use epoll (Linux).");
        _epoll = epoll_create1(CloseOnExec);
        if (_epoll < 0) throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_create1 failed");
        _capacity = maxEventsPerWait;
        _events = new byte[maxEventsPerWait * EventSize];
    }

    public void Register(Socket socket, uint events, ulong token) => Control(Add, socket, events, token);

    public void Change(Socket socket, uint events, ulong token) => Control(Modify, socket, events, token);

    /// <summary>Stops watching; call before disposing the socket.</summary>
    public void Unregister(Socket socket) => Control(Delete, socket, 0, 0);

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/>; returns how many events <see cref="Event"/> can read (0 on timeout or EINTR).</summary>
    public int Wait(int timeoutMilliseconds)
    {
        int n = epoll_wait(_epoll, _events, _capacity, timeoutMilliseconds);
        if (n >= 0) return n;
        int errno = Marshal.GetLastPInvokeError();
        return errno == Interrupted ? 0 : throw new Win32Exception(errno, "epoll_wait failed");
    }

    /// <summary>The <paramref name="index"/>th event of the last <see cref="Wait"/>.</summary>
    public (uint Events, ulong Token) Event(int index)
    {
        var one = _events.AsSpan(index * EventSize, EventSize);
        return (BinaryPrimitives.ReadUInt32LittleEndian(one), BinaryPrimitives.ReadUInt64LittleEndian(one[DataOffset..]));
    }

    private void Control(int operation, Socket socket, uint events, ulong token)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_one, events);
        BinaryPrimitives.WriteUInt64LittleEndian(_one.AsSpan(DataOffset), token);
        int fd = (int)socket.SafeHandle.DangerousGetHandle();
        if (epoll_ctl(_epoll, operation, fd, _one) != 0) throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_ctl failed");
    }

    public void Dispose() => close(_epoll);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epfd, int op, int fd, byte[] eventData);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epfd, byte[] events, int maxEvents, int timeout);

    [DllImport("libc")]
    private static extern int close(int fd);
}
