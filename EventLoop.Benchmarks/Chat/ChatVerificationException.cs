namespace EventLoop.Benchmarks.Chat;

/// <summary>A client received something other than the chat protocol promises: the run fails.</summary>
internal sealed class ChatVerificationException(string message) : Exception(message);
