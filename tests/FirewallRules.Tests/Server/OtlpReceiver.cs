using System.Collections.Concurrent;
using FirewallRules.Tests.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FirewallRules.Tests.Server;

/// <summary>
/// A real OTLP/HTTP receiver (Kestrel on 127.0.0.1, a free port), as a Datadog Agent's port 4318 is: it takes
/// <c>POST /v1/metrics</c> with a protobuf <c>ExportMetricsServiceRequest</c>, answers 200 and keeps each body.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string ContentType, byte[] Body)> _requests = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<(string Path, string ContentType, byte[] Body)> Requests => [.. _requests];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver(LoopbackKestrel.Build(null));
        receiver._app.Run(receiver.HandleAsync);
        receiver.BaseUri = await LoopbackKestrel.StartAsync(receiver._app, null);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        _requests.Enqueue((context.Request.Path, context.Request.ContentType ?? string.Empty, body.ToArray()));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
    }
}

/// <summary>
/// The few fields of OTLP's metrics protobuf the tests read, decoded from the wire format
/// (opentelemetry-proto, metrics/v1/metrics.proto): ExportMetricsServiceRequest.resource_metrics = 1,
/// ResourceMetrics.scope_metrics = 2, ScopeMetrics.scope = 1 and metrics = 2, InstrumentationScope.name = 1,
/// Metric.name = 1, gauge = 5, sum = 7; Sum.data_points = 1, aggregation_temporality = 2, is_monotonic = 3.
/// </summary>
internal static class OtlpMetrics
{
    /// <summary>A metric as exported: its scope (the meter), name, kind, and for a sum its temporality (1 delta, 2 cumulative).</summary>
    public sealed record Metric(string Scope, string Name, string Kind, long Temporality, bool Monotonic);

    public static IEnumerable<Metric> Read(byte[] request)
    {
        foreach (ReadOnlyMemory<byte> resource in Fields(request, 1))
        {
            foreach (ReadOnlyMemory<byte> scopeMetrics in Fields(resource, 2))
            {
                string scope = Fields(scopeMetrics, 1).Select(s => Text(Fields(s, 1).FirstOrDefault())).FirstOrDefault() ?? string.Empty;
                foreach (ReadOnlyMemory<byte> metric in Fields(scopeMetrics, 2))
                {
                    string name = Text(Fields(metric, 1).First());
                    if (Fields(metric, 7).FirstOrDefault() is { Length: > 0 } sum)
                    {
                        yield return new Metric(scope, name, "sum", Varint(sum, 2), Varint(sum, 3) == 1);
                    }
                    else
                    {
                        yield return new Metric(scope, name, Fields(metric, 5).Count > 0 ? "gauge" : "other", 0, false);
                    }
                }
            }
        }
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of one message.</summary>
    private static List<ReadOnlyMemory<byte>> Fields(ReadOnlyMemory<byte> message, int number)
    {
        var found = new List<ReadOnlyMemory<byte>>();
        Walk(message, (field, wireType, value, bytes) =>
        {
            if (field == number && wireType == 2)
            {
                found.Add(bytes);
            }
        });
        return found;
    }

    /// <summary>The varint field numbered <paramref name="number"/>; 0 when absent.</summary>
    private static long Varint(ReadOnlyMemory<byte> message, int number)
    {
        long found = 0;
        Walk(message, (field, wireType, value, _) =>
        {
            if (field == number && wireType == 0)
            {
                found = value;
            }
        });
        return found;
    }

    private static void Walk(ReadOnlyMemory<byte> message, Action<int, int, long, ReadOnlyMemory<byte>> visit)
    {
        ReadOnlySpan<byte> span = message.Span;
        int at = 0;
        while (at < span.Length)
        {
            long key = ReadVarint(span, ref at);
            int field = (int)(key >> 3), wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    visit(field, 0, ReadVarint(span, ref at), default);
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    int length = (int)ReadVarint(span, ref at);
                    visit(field, 2, 0, message.Slice(at, length));
                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {wireType} at {at}");
            }
        }
    }

    private static long ReadVarint(ReadOnlySpan<byte> span, ref int at)
    {
        long value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = span[at++];
            value |= (long)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
