using EventLoop.Benchmarks.Load;
using EventLoop.Samples.Chat;

namespace EventLoop.Benchmarks.Chat;

/// <summary>The load of one <c>chat</c> run; every server in the run gets the same.</summary>
internal sealed record ChatOptions : LoadOptions
{
    public int Clients { get; init; } = 100;

    /// <summary>How many of the clients send; null: all of them.</summary>
    public int? Senders { get; init; }

    /// <summary>Bytes of each line a sender sends, its newline included.</summary>
    public int Size { get; init; } = 64;

    /// <summary>Lines a sender may have in flight: it sends the next when one of its own comes back.</summary>
    public int Depth { get; init; } = 1;

    public IReadOnlyList<ChatServerKind> Servers { get; init; } = [ChatServerKind.Floor, ChatServerKind.Chat, ChatServerKind.ChatProtocol];

    /// <summary>Count the server's send system calls with perf (off: the column says n/a).</summary>
    public bool CountSyscalls { get; init; } = true;

    public int SenderCount => Senders ?? Clients;

    public override int ServerCount => Servers.Count;

    /// <summary>Joins (one at a time, each announced to everyone), warm-up, window, drain, with room for a slow box.</summary>
    public override TimeSpan PerServerBudget => Warmup + Duration + TimeSpan.FromSeconds(30 + Clients / 20);

    public const string Usage =
        """
        chat [options]   chat servers compared under one fan-out load (each server in its own process)
          --clients N       clients in the room, each with a name of its own (default 100)
          --senders K       how many of them send (default: all)
          --size S          bytes per line a sender sends, newline included (default 64)
          --depth D         lines a sender may have in flight; it sends the next when one of
                            its own comes back (default 1)
          --servers LIST    comma-separated, from floor,chat,chat-protocol (default: all three)
          --no-syscall-count  do not count the server's send calls with perf
        """ + "\n" + CommonUsage;

    /// <exception cref="ArgumentException">An unknown option or a value out of range.</exception>
    public static ChatOptions Parse(IReadOnlyList<string> args)
    {
        var o = Parse(args, new ChatOptions(), (o, name, value) => name switch
        {
            "--clients" => o with { Clients = Int(name, value(), 1, 20_000) },
            "--senders" => o with { Senders = Int(name, value(), 1, 20_000) },
            "--size" => o with { Size = Int(name, value(), ChatRoomPlan.MinLineBytes, ChatText.MaxLineBytes) },
            "--depth" => o with { Depth = Int(name, value(), 1, 1024) },
            "--servers" => o with { Servers = value().Split(',').Select(ChatServerKinds.Parse).Distinct().ToArray() },
            "--no-syscall-count" => o with { CountSyscalls = false },
            _ => null,
        });
        if (o.SenderCount > o.Clients) throw new ArgumentException("--senders cannot exceed --clients.");
        // Everything in flight may sit in one client's output buffer at the server: keep it well
        // under the samples' slow-consumer cut, or a correct server would rightly drop a client.
        long inFlightBytes = (long)o.SenderCount * o.Depth * (o.Size + 16);
        if (inFlightBytes > ChatText.MaxPendingOutputBytes / 2)
            throw new ArgumentException($"--senders × --depth × line size ({inFlightBytes:N0} B) must stay under {ChatText.MaxPendingOutputBytes / 2:N0} B (half the servers' slow-consumer limit).");
        return o;
    }

    /// <summary>One line for the report header.</summary>
    public string Describe() =>
        $"{Clients} clients, {SenderCount} sending {Size} B lines, {Depth} in flight each, {DescribeTiming()}";
}
