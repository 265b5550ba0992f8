using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// The load generator's clients, all on one thread of their own on bare epoll (the generator must
/// cost far less per line than the server it measures: no task, no thread hop and no allocation per
/// line). In order: join every client one at a time (each waits for its own join notice), start
/// the senders (each sends <see cref="ChatRoomPlan.Depth"/> lines, then a new one whenever one of its
/// own comes back), keep going while the <see cref="LoadPhase"/> runs, then — once stopping — send
/// nothing new and wait until every line sent has reached every client; finally expect each
/// connection's shutdown line and close. Each stage completes a task the orchestrator awaits; any
/// failure (a check, a connection error, the deadline) fails them all.
/// </summary>
internal sealed class ChatDriver : IDisposable
{
    private const int WaitMilliseconds = 10; // how often the thread looks at the phase and the deadline when idle

    private readonly ChatRoomPlan _plan;
    private readonly IPEndPoint _server;
    private readonly LoadPhase _phase;
    private readonly CancellationToken _deadline;
    private readonly ChatClient[] _clients;
    private readonly Socket?[] _sockets;
    private readonly bool[] _waitingToWrite;
    private readonly Epoll _epoll;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _expectingShutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _deliveries, _expectedDeliveries, _measuredDeliveries;
    private int _open;
    private volatile bool _go, _closing, _abandoned;

    public ChatDriver(ChatRoomPlan plan, int port, LoadPhase phase, CancellationToken deadline)
    {
        _plan = plan;
        _server = new IPEndPoint(IPAddress.Loopback, port);
        _phase = phase;
        _deadline = deadline;
        _clients = Enumerable.Range(0, plan.Clients).Select(i => new ChatClient(plan, i)).ToArray();
        _sockets = new Socket?[plan.Clients];
        _waitingToWrite = new bool[plan.Clients];
        _epoll = new Epoll(maxEventsPerWait: 1024);
        _thread = new Thread(Run) { Name = "chat load", IsBackground = true };
    }

    /// <summary>Every client has joined and seen every join notice: nothing is in flight until <see cref="StartSending"/>.</summary>
    public Task Joined => _joined.Task;

    /// <summary>Stopping, and every line sent has reached every client: nothing is in flight.</summary>
    public Task Drained => _drained.Task;

    /// <summary>Every connection got the shutdown line and was closed by the server.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Chat lines received by all clients while the phase was measuring.</summary>
    public long MeasuredDeliveries => Interlocked.Read(ref _measuredDeliveries);

    /// <summary>Chat lines received by all clients from the first send to the end of the drain (read after <see cref="Drained"/>).</summary>
    public long AllDeliveries => Drained.IsCompletedSuccessfully ? _deliveries : throw new InvalidOperationException("Not drained yet.");

    /// <summary>What the driver's thread allocated from the first send to the end of the drain: it should be nothing.</summary>
    public long AllocatedDuringLoad { get; private set; }

    public void Start() => _thread.Start();

    /// <summary>After <see cref="Joined"/>: the senders start (and the warm-up with them).</summary>
    public void StartSending() => _go = true;

    /// <summary>
    /// After <see cref="Drained"/>: from now on each client expects the shutdown line. Completes
    /// once the driver's thread has switched, so the server may be stopped then and not before.
    /// </summary>
    public Task ExpectShutdownAsync()
    {
        _closing = true;
        return _expectingShutdown.Task;
    }

    /// <summary>The senders' latencies, merged (after <see cref="Finished"/>).</summary>
    public LatencyHistogram Latencies()
    {
        var all = new LatencyHistogram();
        foreach (var client in _clients) if (client.Latencies is { } l) all.Add(l);
        return all;
    }

    private void Run()
    {
        try
        {
            for (int i = 0; i < _clients.Length; i++) Join(i);
            // Quiet: every join notice has reached everyone, nothing is in flight.
            while (!_clients.All(c => c.SawEveryJoin)) Pump("every join notice to arrive");
            _joined.SetResult();
            while (!_go) Pump("the signal to start sending");
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long now = Stopwatch.GetTimestamp();
            foreach (int client in _plan.ClientOfSlot) Send(client, _plan.Depth, now);
            while (!(_phase.IsStopping && _deliveries == _expectedDeliveries)) Pump("the load to stop and every line to arrive");
            AllocatedDuringLoad = GC.GetAllocatedBytesForCurrentThread() - allocated;
            if (_clients.Select(c => c.Missing()).FirstOrDefault(m => m is not null) is { } missing) throw new ChatVerificationException(missing);
            _drained.SetResult();
            while (!_closing) Pump("the server to be told to stop");
            foreach (var client in _clients) client.ExpectShutdown();
            _expectingShutdown.SetResult();
            while (_open > 0) Pump("every connection's shutdown line and close");
            _finished.SetResult();
        }
        catch (Exception e)
        {
            _joined.TrySetException(e);
            _drained.TrySetException(e);
            _expectingShutdown.TrySetException(e);
            _finished.TrySetException(e);
        }
    }

    /// <summary>Connects client <paramref name="index"/>, answers the prompt with its name and waits until it has joined.</summary>
    private void Join(int index)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _sockets[index] = socket;
        socket.Connect(_server);
        socket.Blocking = false;
        _open++;
        _epoll.Register(socket, Epoll.In, (ulong)index);
        bool named = false;
        var client = _clients[index];
        while (!client.HasJoined)
        {
            Pump($"{client.Who} to join");
            if (named || !client.WantsName) continue;
            named = true;
            socket.Send(client.NameLine()); // blocking is not an issue: a few bytes into an empty socket
        }
    }

    /// <summary>One wait and the events it returns.</summary>
    private void Pump(string waitingFor)
    {
        if (_abandoned) throw new OperationCanceledException("The chat generator was stopped.");
        if (_deadline.IsCancellationRequested) throw new TimeoutException($"The chat generator ran out of time waiting for {waitingFor}.");
        int ready = _epoll.Wait(WaitMilliseconds);
        long now = Stopwatch.GetTimestamp();
        bool measuring = _phase.IsMeasuring, sending = !_phase.IsStopping;
        for (int i = 0; i < ready; i++)
        {
            var (events, token) = _epoll.Event(i);
            int index = (int)token;
            if ((events & (Epoll.In | Epoll.Hup | Epoll.Err)) != 0) Receive(index, now, measuring);
            if (_sockets[index] is null) continue; // closed by the server
            var client = _clients[index];
            if (sending && client.Owed > 0) Send(index, client.Owed, now);
            else if ((events & Epoll.Out) != 0) Flush(index);
        }
    }

    private void Receive(int index, long now, bool measuring)
    {
        var socket = _sockets[index]!;
        var client = _clients[index];
        int n = socket.Receive(client.ReceiveSpace, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock) return;
        if (error != SocketError.Success) throw new ChatVerificationException($"{client.Who}: the connection failed ({error}).");
        if (n == 0)
        {
            client.EndOfStream();
            _epoll.Unregister(socket);
            socket.Dispose();
            _sockets[index] = null;
            _open--;
            return;
        }
        int lines = client.Received(n, now, measuring);
        _deliveries += lines;
        if (measuring) Interlocked.Add(ref _measuredDeliveries, lines);
    }

    private void Send(int index, int lines, long now)
    {
        long before = _plan.SentBySlot[_clients[index].Slot];
        _clients[index].PrepareLines(lines, now);
        _expectedDeliveries += (_plan.SentBySlot[_clients[index].Slot] - before) * _plan.Clients;
        Flush(index);
    }

    /// <summary>Sends what the client has pending; watches for writability only while some is left.</summary>
    private void Flush(int index)
    {
        var socket = _sockets[index]!;
        var client = _clients[index];
        if (client.PendingOutput.Length > 0)
        {
            int sent = socket.Send(client.PendingOutput, SocketFlags.None, out var error);
            if (error is not (SocketError.Success or SocketError.WouldBlock)) throw new ChatVerificationException($"{client.Who}: sending failed ({error}).");
            if (error == SocketError.Success) client.Sent(sent);
        }
        bool waiting = client.PendingOutput.Length > 0;
        if (waiting == _waitingToWrite[index]) return;
        _waitingToWrite[index] = waiting;
        _epoll.Change(socket, waiting ? Epoll.In | Epoll.Out : Epoll.In, (ulong)index);
    }

    public void Dispose()
    {
        _abandoned = true; // a thread still running stops at its next wait (≤ 10 ms)
        if (_thread.IsAlive) _thread.Join(TimeSpan.FromSeconds(5));
        foreach (var socket in _sockets) socket?.Dispose();
        _epoll.Dispose();
    }
}
