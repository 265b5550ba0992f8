using System.Net;
using System.Net.Sockets;
using System.Text;
using EventLoop.Benchmarks.Load;
using EventLoop.Samples.Chat;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// The floor for the chat: the best a single-threaded loop can do, with no framework. One thread
/// on bare level-triggered epoll; each ready socket is read once per iteration into one shared
/// buffer; every line is appended straight to each member's output buffer (no strings, no
/// allocation per line); and only after all ready sockets have been handled is each connection
/// with output sent once — one send per recipient per iteration, however many lines it got
/// (Redis's <c>beforeSleep</c>, uvloop's per-iteration flush). The wire protocol is the samples',
/// with their limits: names as <see cref="ChatText.IsValidName"/>, lines up to
/// <see cref="ChatText.MaxLineBytes"/>, a member with more than
/// <see cref="ChatText.MaxPendingOutputBytes"/> unsent is cut off, and on stop everyone gets
/// "Server is shutting down." and a close.
/// </summary>
internal sealed class FloorChatServer : IChatServer
{
    private const int Backlog = 1024;
    private const int ListenerToken = 0;
    private const int WaitMilliseconds = 100; // how soon the thread notices a stop; never reached under load

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
    private readonly Epoll _epoll = new(maxEventsPerWait: 1024);
    private readonly List<FloorChatClient?> _clients = [null]; // by token; slot 0 is the listener
    private readonly Stack<int> _freeTokens = new();
    private readonly List<FloorChatClient> _members = []; // joined, in join order: the broadcast order
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<FloorChatClient> _toFlush = [];
    private readonly byte[] _receive = new byte[64 * 1024];
    private readonly Thread _thread;
    private volatile bool _stopping;

    public FloorChatServer(int port)
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _listener.Listen(Backlog);
        _epoll.Register(_listener, Epoll.In, ListenerToken);
        // The samples' announcement, in their form: the generator reads the port from it.
        Console.Out.WriteLine($"chat-floor listening on {_listener.LocalEndPoint}");
        Console.Out.Flush();
        _thread = new Thread(Serve) { Name = "chat floor", IsBackground = true };
        _thread.Start();
    }

    private void Serve()
    {
        try
        {
            while (!_stopping)
            {
                int ready = _epoll.Wait(WaitMilliseconds);
                for (int i = 0; i < ready; i++)
                {
                    var (events, token) = _epoll.Event(i);
                    if (token == ListenerToken) AcceptAll();
                    else if (_clients[(int)token] is { } client)
                    {
                        if ((events & (Epoll.In | Epoll.Hup | Epoll.Err)) != 0) Read(client);
                        if ((events & Epoll.Out) != 0) MarkToFlush(client);
                    }
                }
                FlushAll();
            }
            ShutDown();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"chat floor failed: {e}");
        }
    }

    private void AcceptAll()
    {
        for (int i = 0; i < 64; i++) // bounded: one listener cannot starve the clients
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            socket.Blocking = false;
            socket.NoDelay = true;
            int token = _freeTokens.Count > 0 ? _freeTokens.Pop() : _clients.Count;
            var client = new FloorChatClient(socket, token);
            if (token == _clients.Count) _clients.Add(client);
            else _clients[token] = client;
            _epoll.Register(socket, Epoll.In, (ulong)token);
            Send(client, ChatWireText.Welcome);
            Send(client, ChatWireText.Prompt);
        }
    }

    private void Read(FloorChatClient client)
    {
        int n = client.Socket.Receive(_receive, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock) return;
        if (error != SocketError.Success || n == 0)
        {
            Close(client);
            return;
        }
        var data = _receive.AsSpan(0, n);
        while (!client.Closed)
        {
            int newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (!client.SkippingLongLine && !client.KeepPartial(data)) TooLong(client);
                return;
            }
            var piece = data[..newline];
            data = data[(newline + 1)..];
            if (client.SkippingLongLine)
            {
                client.SkippingLongLine = false;
                continue;
            }
            if (client.PartialLength == 0) OnLine(client, piece);
            else if (client.KeepPartial(piece))
            {
                OnLine(client, client.Partial);
                client.ClearPartial();
            }
            else
            {
                Send(client, ChatWireText.LineTooLong); // the rest of it was this piece: nothing left to skip
            }
        }
    }

    private void TooLong(FloorChatClient client)
    {
        client.SkippingLongLine = true;
        Send(client, ChatWireText.LineTooLong);
    }

    private void OnLine(FloorChatClient client, ReadOnlySpan<byte> line)
    {
        if (line.EndsWith((byte)'\r')) line = line[..^1];
        if (client.Name is null)
        {
            Join(client, Encoding.UTF8.GetString(line)); // once per client
            return;
        }
        if (line.SequenceEqual("/quit"u8)) Close(client);
        else if (line.SequenceEqual("/users"u8)) Send(client, ChatWireText.Bytes(ChatText.Users(_names)));
        else Broadcast(client.MessagePrefix, line);
    }

    private void Join(FloorChatClient client, string name)
    {
        byte[]? refusal = !ChatNames.IsValid(name) ? ChatWireText.NameInvalid : _names.Contains(name) ? ChatWireText.NameTaken : null;
        if (refusal is not null)
        {
            Send(client, refusal);
            Send(client, ChatWireText.Prompt);
            return;
        }
        client.Join(name);
        _names.Add(name);
        _members.Add(client);
        Broadcast([], ChatWireText.Joined(name).AsSpan(..^1));
    }

    /// <summary>Appends the line to every member's output; cuts off any whose unsent output passes the limit.</summary>
    private void Broadcast(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> text)
    {
        List<FloorChatClient>? slow = null;
        foreach (var member in _members)
        {
            member.AppendLine(prefix, text);
            MarkToFlush(member);
            if (member.PendingOutput > ChatText.MaxPendingOutputBytes) (slow ??= []).Add(member);
        }
        if (slow is null) return;
        foreach (var member in slow)
        {
            Console.Error.WriteLine($"chat floor: disconnecting {member.Name}: slow consumer, {member.PendingOutput} bytes unsent");
            Close(member);
        }
    }

    private void Send(FloorChatClient client, ReadOnlySpan<byte> bytes)
    {
        client.Append(bytes);
        MarkToFlush(client);
    }

    private void MarkToFlush(FloorChatClient client)
    {
        if (client.Dirty) return;
        client.Dirty = true;
        _toFlush.Add(client);
    }

    /// <summary>The end of the iteration: one send per connection that has output.</summary>
    private void FlushAll()
    {
        // By index: closing a failed connection broadcasts its leaving, which may add to the list.
        for (int i = 0; i < _toFlush.Count; i++)
        {
            var client = _toFlush[i];
            client.Dirty = false;
            if (client.Closed) continue;
            if (!client.Flush())
            {
                Close(client);
                continue;
            }
            bool waiting = client.PendingOutput > 0;
            if (waiting == client.WaitingToWrite) continue;
            client.WaitingToWrite = waiting;
            _epoll.Change(client.Socket, waiting ? Epoll.In | Epoll.Out : Epoll.In, (ulong)client.Token);
        }
        _toFlush.Clear();
    }

    private void Close(FloorChatClient client)
    {
        if (client.Closed) return;
        client.Closed = true;
        _epoll.Unregister(client.Socket);
        client.Socket.Dispose();
        _clients[client.Token] = null;
        _freeTokens.Push(client.Token);
        if (client.Name is not { } name) return;
        _members.Remove(client);
        _names.Remove(name);
        Broadcast([], ChatWireText.Left(name).AsSpan(..^1));
    }

    /// <summary>As the samples on Ctrl+C: everyone is told, what is pending is sent, every connection closed.</summary>
    private void ShutDown()
    {
        _listener.Dispose();
        foreach (var client in _clients)
        {
            if (client is null) continue;
            client.Append(ChatWireText.ShuttingDown);
            client.Flush();
            client.Closed = true; // no leave broadcasts: everyone is going
            try
            {
                client.Socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException) { } // already reset by the peer
            client.Socket.Dispose();
        }
    }

    public bool Stop()
    {
        _stopping = true;
        return _thread.Join(TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        if (_thread.IsAlive) Stop();
        _epoll.Dispose();
    }
}
