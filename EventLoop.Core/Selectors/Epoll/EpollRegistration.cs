using System.Net.Sockets;

namespace EventLoop;

/// <summary>One socket watched by an <see cref="EpollSelector"/>.</summary>
internal sealed class EpollRegistration(Socket socket, SafeSocketHandle handle)
{
    public Socket Socket { get; } = socket;

    /// <summary>Kept so a closed socket can be recognised without touching the disposed <see cref="Socket"/>.</summary>
    public SafeSocketHandle Handle { get; } = handle;

    /// <summary>The descriptor number, read once while the socket was open.</summary>
    public int Fd { get; } = (int)handle.DangerousGetHandle();

    /// <summary>What the kernel watches for (EPOLLIN/EPOLLOUT), to skip redundant epoll_ctl calls.</summary>
    public uint KernelEvents;

    public SelectorInterest Interest;
    public object State = null!;

    /// <summary>Carried in the kernel's event data: slot and generation (see <see cref="EpollSlots"/>).</summary>
    public ulong Token;

    /// <summary>Unregistered by the caller but still in the kernel's set, in case it comes back (see <see cref="EpollSelector"/>).</summary>
    public bool Dormant;

    /// <summary>The selector's wait count when it went dormant.</summary>
    public long DormantSince;
}
