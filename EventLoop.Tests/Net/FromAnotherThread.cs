namespace EventLoop.Tests.Net;

/// <summary>Calls made from a thread that is not the loop's, for the "refused up front" tests.</summary>
internal static class FromAnotherThread
{
    /// <summary>Makes each call on another thread; returns the names of those refused with <see cref="InvalidOperationException"/>.</summary>
    public static List<string> Refused(params (string Name, Action Call)[] calls)
    {
        var refused = new List<string>();
        var other = new Thread(() =>
        {
            foreach (var (name, call) in calls)
            {
                try { call(); }
                catch (InvalidOperationException) { refused.Add(name); }
            }
        });
        other.Start();
        other.Join();
        return refused;
    }
}
