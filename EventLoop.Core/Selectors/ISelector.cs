using System.Net.Sockets;

namespace EventLoop;

/// <summary>
/// The readiness backend a <see cref="Loop"/> waits on. Deliberately small (Redis's ae backends
/// are four functions): <see cref="EpollSelector"/> and the portable <see cref="SocketSelectSelector"/>
/// implement it, and a kqueue one could be added without touching the loop. Level-triggered: a
/// socket is reported in every wait while it stays ready. Used from the loop thread only.
/// </summary>
public interface ISelector : IDisposable
{
    /// <summary>Starts watching <paramref name="socket"/>, or changes what it is watched for.</summary>
    /// <param name="socket">A socket; the selector does not own it.</param>
    /// <param name="interest">Read, Write or both; <see cref="SelectorInterest.None"/> unregisters.</param>
    /// <param name="state">Returned in <see cref="SelectorEvent.State"/> when the socket is ready.</param>
    void Register(Socket socket, SelectorInterest interest, object state);

    /// <summary>Stops watching <paramref name="socket"/>; does nothing if it was not registered.</summary>
    void Unregister(Socket socket);

    /// <summary>Number of sockets registered.</summary>
    int Count { get; }

    /// <summary>
    /// Waits until at least one registered socket is ready or <paramref name="timeout"/> passes,
    /// and appends what is ready to <paramref name="ready"/>.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits without limit,
    /// <see cref="TimeSpan.Zero"/> only polls.</param>
    /// <param name="ready">Receives one event a ready socket.</param>
    void Select(TimeSpan timeout, List<SelectorEvent> ready);
}
