using System.CommandLine;
using System.Net;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Client;

/// <summary>
/// A line client, like <c>nc</c>: sends what you type, prints what arrives, and exits when
/// either side ends. Standard input is read on a thread of its own (a console cannot be
/// watched by Socket.Select) and each line is handed to the loop with CallSoonThreadSafe.
/// </summary>
public static class ClientSample
{
    /// <summary>Connects and relays until either side ends.</summary>
    public static async LoopTask RunAsync(Loop loop, EndPoint endpoint, TextReader input, TextWriter output)
    {
        var connection = await loop.OpenConnectionAsync(endpoint);
        var inputEnded = loop.CreateFuture<bool>();
        var reader = new Thread(() =>
        {
            while (input.ReadLine() is { } line)
            {
                loop.CallSoonThreadSafe(() =>
                {
                    if (!connection.IsClosing) connection.WriteLine(line);
                });
            }
            loop.CallSoonThreadSafe(() => inputEnded.TrySetResult(true));
        }) { IsBackground = true, Name = "stdin reader" };
        reader.Start();

        var printing = PrintAsync(connection, output);
        int first = await loop.WhenAny(printing, inputEnded.Task);
        if (first == 1)
        {
            await connection.CloseAsync(); // our input ended: send what is left, then go
            printing.Cancel();
        }
        else
        {
            connection.Abort();
        }
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
        var host = new Option<string>("--host") { Description = "Server address", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Server port", DefaultValueFactory = _ => Chat.ChatSample.DefaultPort };
        var command = new Command("client", "A line client like nc: type lines, see replies (try it with chat)") { host, port };
        command.SetAction(parsed =>
        {
            var endpoint = new IPEndPoint(IPAddress.Parse(parsed.GetValue(host)!), parsed.GetValue(port));
            return SampleRunner.Run((loop, _) => RunAsync(loop, endpoint, Console.In, Console.Out));
        });
        return command;
    }
}
