using System.IO.Pipes;
using System.Net.Sockets;
using System.Text;
using EventLoop.Net;
using EventLoop.Tests.Core;
using Microsoft.Extensions.Logging;

namespace EventLoop.Tests.Net;

public enum TransportKind { Socket, Memory, Pipe }

/// <summary>
/// What every stream transport does the same way, because it is written once (the transport
/// base): lifecycle, the policy for protocol code that throws, the rule for writes after close.
/// Each test runs over a socket, a memory pair and a child's output pipe.
/// </summary>
[TestFixture(TransportKind.Socket)]
[TestFixture(TransportKind.Memory)]
[TestFixture(TransportKind.Pipe)]
public class TransportContractTests(TransportKind kind)
{
    private CapturingLoggerFactory _logs = null!;
    private Loop _loop = null!;
    private List<LoopExceptionContext> _reported = null!;
    private readonly List<IDisposable> _cleanup = new();

    [SetUp]
    public void CreateLoop()
    {
        _logs = new CapturingLoggerFactory();
        _loop = new Loop(new LoopOptions { LoggerFactory = _logs });
        _reported = new List<LoopExceptionContext>();
        _loop.ExceptionHandler = _reported.Add;
    }

    [TearDown]
    public void DisposeLoop()
    {
        _loop.Dispose();
        _cleanup.ForEach(d => d.Dispose());
    }

    /// <summary>Records the callbacks in order; can be told to throw.</summary>
    private sealed class RecordingProtocol : IProtocol
    {
        public readonly List<string> Events = new();
        public ITransport? Transport;
        public Exception? LostWith;
        public bool InsideTransportCall;
        public bool LostInsideTransportCall;
        public bool ThrowOnData;
        public LoopFuture<bool>? Lost;

        public void ConnectionMade(ITransport transport)
        {
            Transport = transport;
            Events.Add("made");
        }

        public void DataReceived(ReadOnlySpan<byte> data)
        {
            Events.Add($"data:{Encoding.ASCII.GetString(data)}");
            if (ThrowOnData) throw new FormatException("bad frame");
        }

        public bool EofReceived()
        {
            Events.Add("eof");
            return false;
        }

        public void ConnectionLost(Exception? error)
        {
            Events.Add("lost");
            LostWith = error;
            Lost?.TrySetResult(true);
            LostInsideTransportCall |= InsideTransportCall;
        }
    }

    /// <summary>A transport of this fixture's kind whose peer has sent <paramref name="peerSends"/>; the peer's end for reading what we send.</summary>
    private (ITransport Transport, Func<string> ReadPeerToEnd) Open(IProtocol protocol, string peerSends)
    {
        var bytes = Encoding.ASCII.GetBytes(peerSends);
        switch (kind)
        {
            case TransportKind.Socket:
            {
                var (ours, peer) = LoopbackSocketPair.Create();
                _cleanup.Add(peer);
                peer.Blocking = true;
                peer.ReceiveTimeout = 10_000;
                if (bytes.Length > 0) peer.Send(bytes);
                return (new SocketTransport(_loop, ours, protocol), () => ReadToEnd(peer));
            }
            case TransportKind.Memory:
            {
                var collected = new MemoryStream();
                var peer = new CollectingProtocol(collected);
                var (ours, theirs) = MemoryTransport.CreatePair(_loop, protocol, peer);
                if (bytes.Length > 0) theirs.Write(bytes);
                return (ours, () => Encoding.ASCII.GetString(collected.ToArray()) + (peer.Ended ? "|end" : ""));
            }
            default:
            {
                // A real pipe, as a child's stdout is: the write end stays open until the test ends.
                var reading = new AnonymousPipeServerStream(PipeDirection.In);
                var writing = new AnonymousPipeClientStream(PipeDirection.Out, reading.ClientSafePipeHandle);
                _cleanup.Add(writing);
                if (bytes.Length > 0) writing.Write(bytes);
                return (new PipeReaderTransport(_loop, reading, protocol, "test pipe"), () => "");
            }
        }
    }

    private static string ReadToEnd(Socket peer)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = peer.Receive(buffer)) > 0) received.Write(buffer, 0, n);
        return Encoding.ASCII.GetString(received.ToArray()) + "|end";
    }

    private sealed class CollectingProtocol(MemoryStream collected) : IProtocol
    {
        public bool Ended;
        public void ConnectionMade(ITransport transport) { }
        public void DataReceived(ReadOnlySpan<byte> data) => collected.Write(data);
        public bool EofReceived() => Ended = true;
        public void ConnectionLost(Exception? error) => Ended = true;
    }

    [Test]
    public void ProtocolCodeThatThrows_IsReportedWithThePeer_AndClosesThatTransport_ConnectionLostGetsTheException()
    {
        var protocol = new RecordingProtocol { ThrowOnData = true };
        var (transport, _) = Open(protocol, "hello");

        WaitUntilLost(protocol);

        Assert.That(protocol.Events, Is.EqualTo(new[] { "made", "data:hello", "lost" }));
        Assert.That(protocol.LostWith, Is.TypeOf<FormatException>());
        Assert.That(transport.IsClosing, Is.True);
        var report = _reported.Single();
        Assert.That(report.Exception, Is.TypeOf<FormatException>());
        Assert.That(report.Message, Does.Contain("DataReceived"));
        Assert.That(report.Source, Does.Contain(nameof(RecordingProtocol)).And.Contain(transport.RemoteEndPoint is { } peer && kind != TransportKind.Pipe ? Peer(peer) : "test pipe"));
    }

    [Test]
    public void ClosedBeforeItStarted_TheProtocolStillGetsConnectionMadeFirst_ThenConnectionLostOnce_NeverInline()
    {
        var protocol = new RecordingProtocol();
        var (transport, _) = Open(protocol, "");

        protocol.InsideTransportCall = true;
        transport.Close();
        transport.Abort();
        protocol.InsideTransportCall = false;
        WaitUntilLost(protocol);
        _loop.RunUntilIdle();

        Assert.That(protocol.Events, Is.EqualTo(new[] { "made", "lost" }));
        Assert.That(protocol.LostInsideTransportCall, Is.False);
        Assert.That(_reported, Is.Empty);
    }

    [Test]
    public void WritesAfterClose_AreDroppedSilently_WhatCameBeforeIsSent()
    {
        if (kind == TransportKind.Pipe)
        {
            AChildsOutputPipeRefusesEveryWrite();
            return;
        }
        var protocol = new RecordingProtocol();
        var (transport, readPeer) = Open(protocol, "");
        _loop.RunUntilIdle(); // started

        transport.Write("before"u8);
        transport.Close();
        for (int i = 0; i < 10; i++) transport.Write("after"u8);
        WaitUntilLost(protocol);
        _loop.RunUntilIdle();

        Assert.That(readPeer(), Is.EqualTo("before|end"));
        Assert.That(_logs.Entries.Where(e => e.Level >= LogLevel.Information), Is.Empty, "no warning for any of the dropped writes");
        Assert.That(_reported, Is.Empty);
    }

    [Test]
    public void WriteAfterWriteEof_IsAProgrammingError()
    {
        if (kind == TransportKind.Pipe)
        {
            AChildsOutputPipeRefusesEveryWrite();
            return;
        }
        var (transport, _) = Open(new RecordingProtocol(), "");

        transport.WriteEof();

        Assert.Throws<InvalidOperationException>(() => transport.Write("late"u8));
    }

    [Test]
    public void EveryOperationFromAnotherThread_IsRefusedUpFront()
    {
        var (transport, _) = Open(new RecordingProtocol(), "");
        _loop.RunUntilIdle();
        var refused = FromAnotherThread.Refused(
            ("Write", () => transport.Write("x"u8)),
            ("WriteEof", transport.WriteEof),
            ("Close", transport.Close),
            ("Abort", transport.Abort),
            ("PauseReading", transport.PauseReading),
            ("ResumeReading", transport.ResumeReading),
            ("SetWriteBufferLimits", () => transport.SetWriteBufferLimits(1024)));

        Assert.That(refused, Is.EqualTo(new[] { "Write", "WriteEof", "Close", "Abort", "PauseReading", "ResumeReading", "SetWriteBufferLimits" }));
        Assert.That(transport.IsClosing, Is.False, "nothing was done");
    }

    /// <summary>The pipe's own rule: it is read-only, so a write is a programming error, open or closed.</summary>
    private void AChildsOutputPipeRefusesEveryWrite()
    {
        var (transport, _) = Open(new RecordingProtocol(), "");
        Assert.Throws<InvalidOperationException>(() => transport.Write("x"u8));
        transport.Close();
        Assert.Throws<InvalidOperationException>(() => transport.Write("x"u8));
    }

    private static string Peer(System.Net.EndPoint endpoint) => endpoint is System.Net.DnsEndPoint dns ? dns.Host : endpoint.ToString()!;

    /// <summary>Runs the loop until the protocol's ConnectionLost; fails after 10 s of real time instead of hanging.</summary>
    private void WaitUntilLost(RecordingProtocol protocol)
    {
        if (protocol.Events.Contains("lost")) return;
        protocol.Lost = _loop.CreateFuture<bool>();
        _loop.RunUntilComplete(_loop.WaitForAsync(protocol.Lost.Task, TimeSpan.FromSeconds(10)));
    }
}
