using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// How a server listens and how many connections it takes on: one object for every server
/// factory (<see cref="NetLoopExtensions.CreateServerAsync"/>, <c>StartServerAsync</c>,
/// <see cref="ServerSocket.Listen"/>). Read once, when the server starts.
/// </summary>
public sealed class ServerOptions
{
    private static readonly Lazy<int> s_systemMaxBacklog = new(ReadSystemMaxBacklog);

    private readonly int _backlog = SystemMaxBacklog;
    private readonly int? _maxConnections;

    /// <summary>
    /// The largest listen backlog the system grants: <c>/proc/sys/net/core/somaxconn</c> on Linux
    /// (4096 on current kernels); elsewhere <see cref="int.MaxValue"/>, which <c>listen()</c>
    /// clamps to the system's own maximum — what .NET's parameterless <see cref="Socket.Listen()"/>
    /// passes.
    /// </summary>
    public static int SystemMaxBacklog => s_systemMaxBacklog.Value;

    /// <summary>
    /// How many connections the kernel completes and queues for the server before it accepts them.
    /// Default <see cref="SystemMaxBacklog"/>, so a burst of connects is absorbed: once the queue is
    /// full, the kernel drops new connection attempts and each such client retries only after a
    /// second or more.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int Backlog
    {
        get => _backlog;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _backlog = value;
        }
    }

    /// <summary>
    /// Lets several sockets listen on the same TCP port (SO_REUSEPORT: the kernel spreads new
    /// connections among them; one loop per core, for example). Off by default: then binding a
    /// port another socket listens on fails with "address already in use" instead of silently
    /// splitting the clients between the two. Both sides must set it; on Linux, only sockets of
    /// the same user may share. Not available on Windows; ignored for Unix domain sockets.
    /// </summary>
    public bool ReusePort { get; init; }

    /// <summary>
    /// The most connections a server keeps open at once (Kestrel's <c>MaxConcurrentConnections</c>);
    /// null, the default, sets no limit. Over the limit a new connection is accepted and closed at
    /// once — its client sees the connection end rather than hang in the backlog — and accepting
    /// goes on, so the server takes clients again as soon as one finishes. Set it below the
    /// process's descriptor limit (see <see cref="OpenFileLimit"/>) so the runtime always has
    /// descriptors left. <see cref="ServerSocket.Listen"/> alone does not enforce it: an accept loop
    /// of your own counts its connections itself.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int? MaxConnections
    {
        get => _maxConnections;
        init
        {
            if (value is { } max) ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(MaxConnections));
            _maxConnections = value;
        }
    }

    private static int ReadSystemMaxBacklog()
    {
        const int listenDefault = int.MaxValue; // SocketOptionName.MaxConnections: "the system maximum"
        if (!OperatingSystem.IsLinux()) return listenDefault;
        try
        {
            return int.TryParse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), out int max) && max > 0 ? max : listenDefault;
        }
        catch (IOException)
        {
            return listenDefault;
        }
        catch (UnauthorizedAccessException)
        {
            return listenDefault;
        }
    }
}
