using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Samples.Client;

/// <summary>
/// A line client, like <c>nc -N</c>: sends what you type and prints what arrives. At the end of
/// its input it half-closes (the server reads the end of the stream) and keeps printing until
/// the server ends too, so no reply is lost; when the server ends first, it exits at once.
/// Standard input is read on a thread of its own (a console cannot be watched by the selector)
/// and each line is handed to the loop with CallSoonThreadSafe.
/// </summary>
public static class ClientSample
{
    /// <summary>Connects to the first of <paramref name="host"/>'s addresses that answers, and relays until the server ends.</summary>
    /// <exception cref="SampleFailedException">No address connected, or the connection was lost.</exception>
    public static async LoopTask RunAsync(Loop loop, HostAddresses host, int port, TextReader input, TextWriter output)
    {
        var connection = await ConnectAsync(loop, host, port);
        var inputEnded = loop.CreateFuture<bool>();
        StartReading(loop, input, connection, inputEnded);
        var printing = PrintAsync(connection, output);
        try
        {
            if (await loop.WhenAny(printing, inputEnded.Task) == 1)
            {
                connection.ShutdownWrite(); // our side is done; the server may still be answering
            }
            await printing; // until the server ends
        }
        catch (IOException e)
        {
            throw new SampleFailedException($"client: the connection to {host.Host}:{port} was lost: {e.InnerException?.Message ?? e.Message}", inner: e);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>Tries each address in the resolver's order (no racing: the library's Happy Eyeballs will do better).</summary>
    private static async LoopTask<Connection> ConnectAsync(Loop loop, HostAddresses host, int port)
    {
        SocketException? last = null;
        foreach (var address in host.Addresses)
        {
            try
            {
                return await loop.OpenConnectionAsync(new IPEndPoint(address, port));
            }
            catch (SocketException e)
            {
                last = e;
            }
        }
        throw new SampleFailedException($"client: cannot connect to {host.Host}:{port}: {last!.Message}.", inner: last);
    }

    /// <summary>Reads lines on a thread of its own and hands each to the loop; the end of input last.</summary>
    private static void StartReading(Loop loop, TextReader input, Connection connection, LoopFuture<bool> inputEnded)
    {
        var reader = new Thread(() =>
        {
            try
            {
                while (input.ReadLine() is { } line)
                {
                    loop.CallSoonThreadSafe(() =>
                    {
                        if (!connection.IsClosing) connection.WriteLine(line);
                    });
                }
                loop.CallSoonThreadSafe(() => inputEnded.TrySetResult(true));
            }
            catch (ObjectDisposedException)
            {
                // The loop has finished (the server ended first): nothing left to send to.
            }
        }) { IsBackground = true, Name = "stdin reader" };
        reader.Start();
    }

    private static async LoopTask PrintAsync(Connection connection, TextWriter output)
    {
        var buffer = new byte[4096];
        var decoder = System.Text.Encoding.UTF8.GetDecoder();
        var chars = new char[4096];
        int n;
        while ((n = await connection.ReadAsync(buffer)) > 0)
        {
            int count = decoder.GetChars(buffer, 0, n, chars, 0);
            await output.WriteAsync(chars, 0, count);
            await output.FlushAsync();
        }
    }

    /// <summary>The <c>client</c> sub-command.</summary>
    public static Command CreateCommand()
    {
        var host = HostAddresses.CreateOption("Server address or host name (a name: each of its addresses in turn)");
        var port = new Option<int>("--port") { Description = "Server port", DefaultValueFactory = _ => Chat.ChatSample.DefaultPort }.MustBeBetween(1, 65535);
        var command = new Command("client", "A line client like nc -N: type lines, see replies (try it with chat)") { host, port };
        command.SetAction(parsed => SampleRunner.Run((loop, _) => RunAsync(loop, parsed.GetValue(host)!, parsed.GetValue(port), Console.In, Console.Out)));
        return command;
    }
}
