namespace EventLoop.Benchmarks.Echo;

/// <summary>An echo server running in this process (the <c>echo-server</c> sub-mode), listening on 127.0.0.1.</summary>
internal interface IEchoServer : IDisposable
{
    int Port { get; }
}
