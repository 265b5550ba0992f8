namespace EventLoop.Benchmarks.Echo;

/// <summary>The server sent back something other than what was sent: the run fails.</summary>
internal sealed class EchoVerificationException(string message) : Exception(message);
