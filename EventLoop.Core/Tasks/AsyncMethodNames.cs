namespace EventLoop;

/// <summary>Turns a compiler-generated state machine type (<c>Server+&lt;HandleAsync&gt;d__4</c>) into <c>Server.HandleAsync</c> for logs.</summary>
internal static class AsyncMethodNames
{
    public static string Of(Type stateMachineType)
    {
        string name = stateMachineType.Name;
        string method;
        int local = name.IndexOf("g__", StringComparison.Ordinal);
        if (local >= 0)
        {
            // A local function: <<Outer>g__Inner|4_0>d
            int end = name.IndexOf('|', local);
            method = name[(local + 3)..(end > local ? end : name.Length)];
        }
        else
        {
            int open = name.IndexOf('<'), close = name.IndexOf('>');
            method = open >= 0 && close > open ? name[(open + 1)..close] : name;
        }
        string? owner = stateMachineType.DeclaringType?.Name;
        return owner is null ? method : owner + "." + method;
    }
}
