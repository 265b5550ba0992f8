namespace EventLoop.Net;

/// <summary>How every transport reports protocol code that threw.</summary>
internal static class ProtocolFailure
{
    public static LoopExceptionContext Describe(Exception error, string callback, IProtocol protocol, ITransport transport) =>
        new($"Protocol {callback} threw; closing the connection", error, $"{protocol.GetType().Name} for {transport}");
}
