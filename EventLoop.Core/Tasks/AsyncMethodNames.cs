namespace EventLoop;

/// <summary>Turns a compiler-generated state machine type (<c>Server+&lt;HandleAsync&gt;d__4</c>) into <c>Server.HandleAsync</c> for logs.</summary>
internal static class AsyncMethodNames
{
    public static string Of(Type stateMachineType)
    {
        string name = stateMachineType.Name;
        int open = name.IndexOf('<'), close = name.IndexOf('>');
        string method = open >= 0 && close > open ? name[(open + 1)..close] : name;
        string? owner = stateMachineType.DeclaringType?.Name;
        return owner is null ? method : owner + "." + method;
    }
}
