using System.Net.Sockets;

namespace EventLoop;

/// <summary>The argument rules every <see cref="ISelector.Register"/> shares.</summary>
internal static class RegisterArguments
{
    /// <summary>
    /// Checks the arguments and returns the interest to watch, stripped of flags that are only
    /// reported; <see cref="SelectorInterest.None"/> when neither Read nor Write is asked for,
    /// which means "unregister".
    /// </summary>
    public static SelectorInterest Validate(Socket socket, SelectorInterest interest, object state)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(state);
        interest &= SelectorInterest.Read | SelectorInterest.Write | SelectorInterest.Error;
        return (interest & (SelectorInterest.Read | SelectorInterest.Write)) == SelectorInterest.None
            ? SelectorInterest.None
            : interest;
    }
}
