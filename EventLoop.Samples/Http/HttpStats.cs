using System.Buffers;
using System.Text.Json;
using EventLoop.Net;

namespace EventLoop.Samples.Http;

/// <summary>
/// The figures GET /stats reports: the server's own counters, and what the loop and the listening
/// server publish today (Loop.RegisteredSocketCount, ReadyCount, TimerCount, SpawnedCount;
/// Server.ConnectionCount). This is the one place that reads them: when the loop's metrics move to
/// a System.Diagnostics.Meter, only <see cref="WriteJson"/> changes.
/// </summary>
internal sealed class HttpStats
{
    public long ConnectionsAccepted;
    public long ConnectionsOpen;
    public long Requests;
    public long ErrorResponses;
    public long TimedOut;

    /// <summary>Writes the figures as one JSON object.</summary>
    public void WriteJson(IBufferWriter<byte> output, Loop loop, Server? server)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartObject("loop");
        json.WriteNumber("registered_sockets", loop.RegisteredSocketCount);
        json.WriteNumber("ready_callbacks", loop.ReadyCount);
        json.WriteNumber("timers", loop.TimerCount);
        json.WriteNumber("spawned_tasks", loop.SpawnedCount);
        json.WriteEndObject();
        json.WriteStartObject("server");
        json.WriteNumber("connections", server?.ConnectionCount ?? 0);
        json.WriteEndObject();
        json.WriteStartObject("http");
        json.WriteNumber("connections_accepted", ConnectionsAccepted);
        json.WriteNumber("connections_open", ConnectionsOpen);
        json.WriteNumber("requests", Requests);
        json.WriteNumber("error_responses", ErrorResponses);
        json.WriteNumber("timed_out", TimedOut);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
