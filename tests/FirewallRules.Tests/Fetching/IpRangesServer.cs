using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) that serves a real ip-ranges document the way
/// Datadog does (ETag, Last-Modified, 304 on a match, one section at /&lt;section&gt;.json), and, when told,
/// faults instead: each queued fault answers one request, then the document is served again.
/// </summary>
internal sealed class IpRangesServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, CancellationToken, Task>> _faults = new();
    private readonly ConcurrentQueue<ServedRequest> _requests = new();
    private byte[] _document = [];

    private IpRangesServer(WebApplication app) => _app = app;

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<ServedRequest> Requests => [.. _requests];

    public int Hits => _requests.Count;

    /// <summary>The ETag the current document is served with: its version, quoted.</summary>
    public string ETag { get; private set; } = string.Empty;

    public static DateTimeOffset LastModified { get; } = new(2022, 11, 14, 22, 0, 0, TimeSpan.Zero);

    /// <summary>Serve this real document from now on.</summary>
    public void Serve(string path) => Serve(File.ReadAllBytes(path));

    public void Serve(byte[] document)
    {
        _document = document;
        ETag = $"\"v{JsonNode.Parse(document)!["version"]}\"";
    }

    /// <summary>Answer the next requests with these faults, one each, in order.</summary>
    public void Enqueue(params Func<HttpContext, CancellationToken, Task>[] faults)
    {
        foreach (Func<HttpContext, CancellationToken, Task> fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>Drops the faults still queued: the next request is answered normally.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Answer every request with <paramref name="fault"/> until the test ends.</summary>
    public void Always(Func<HttpContext, CancellationToken, Task> fault) => Enqueue(Enumerable.Repeat(fault, 64).ToArray());

    /// <summary>Starts on 127.0.0.1, or on <paramref name="listener"/> (a listening socket, e.g. one made inside a network namespace).</summary>
    public static async Task<IpRangesServer> StartAsync(string documentPath, Socket? listener = null)
    {
        var server = new IpRangesServer(LoopbackKestrel.Build(listener));
        server.Serve(documentPath);
        server._app.Run(server.HandleAsync);
        server.BaseUri = await LoopbackKestrel.StartAsync(server._app, listener);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        _requests.Enqueue(new ServedRequest(
            context.Request.Path,
            context.Request.Host.Value ?? string.Empty,
            context.Request.Headers.IfNoneMatch.ToString(),
            context.Request.Headers.IfModifiedSince.ToString(),
            context.Request.Headers.UserAgent.ToString()));
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping);
        if (_faults.TryDequeue(out Func<HttpContext, CancellationToken, Task>? fault))
        {
            await fault(context, stopping.Token);
            return;
        }

        byte[] document = _document;
        string path = context.Request.Path.Value ?? "/";
        if (path != "/")
        {
            // /<section>.json: the section's object at the root, cut from the real document.
            JsonNode? section = JsonNode.Parse(document)![path.Trim('/').Replace(".json", string.Empty, StringComparison.Ordinal)];
            await (section is null ? Status(404)(context, stopping.Token) : Body(System.Text.Encoding.UTF8.GetBytes(section.ToJsonString()))(context, stopping.Token));
            return;
        }

        context.Response.Headers.ETag = ETag;
        context.Response.Headers.LastModified = LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (context.Request.Headers.IfNoneMatch.ToString() == ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        await Body(document)(context, stopping.Token);
    }

    /// <summary>A status with no body, optionally with a <c>Retry-After</c> header (seconds or an HTTP date).</summary>
    public static Func<HttpContext, CancellationToken, Task> Status(int status, string? retryAfter = null) => (context, _) =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return Task.CompletedTask;
    };

    /// <summary>A 200 with this body and its length.</summary>
    public static Func<HttpContext, CancellationToken, Task> Body(byte[] body) => async (context, token) =>
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, token);
    };

    /// <summary>A 200 with this body and this <c>ETag</c>, whatever it holds, and the usual <c>Last-Modified</c>.</summary>
    public static Func<HttpContext, CancellationToken, Task> Tagged(byte[] body, string eTag) => (context, token) =>
    {
        context.Response.Headers.ETag = eTag;
        context.Response.Headers.LastModified = LastModified.ToString("R", CultureInfo.InvariantCulture);
        return Body(body)(context, token);
    };

    /// <summary>A redirect to <paramref name="location"/>, taken as it is (relative, another scheme, anything).</summary>
    public static Func<HttpContext, CancellationToken, Task> Redirect(string location, int status = StatusCodes.Status302Found) => (context, _) =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    };

    /// <summary>Headers never come: the request hangs until the client gives up. <paramref name="arrived"/> is set when it arrives.</summary>
    public static Func<HttpContext, CancellationToken, Task> Hang(TaskCompletionSource arrived) => async (_, token) =>
    {
        arrived.TrySetResult();
        await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
    };

    /// <summary>A 200 announcing the whole body's length, sending half of it, then dropping the connection.</summary>
    public static Func<HttpContext, CancellationToken, Task> CutOff(byte[] body) => async (context, token) =>
    {
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), token);
        await context.Response.Body.FlushAsync(token);
        // An abort resets the connection, and a reset can overtake data still in flight: give the client a
        // moment to take the headers and the half body, so that the cut comes mid-body.
        await Task.Delay(50, token);
        context.Abort();
    };

    /// <summary>A 200 streaming <paramref name="bytes"/> of JSON whitespace, with no length announced unless <paramref name="declareLength"/>.</summary>
    public static Func<HttpContext, CancellationToken, Task> Huge(long bytes, bool declareLength) => async (context, token) =>
    {
        context.Response.ContentType = "application/json";
        if (declareLength)
        {
            context.Response.ContentLength = bytes;
        }

        byte[] chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)' ');
        try
        {
            for (long sent = 0; sent < bytes; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - sent)), token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client stopped reading, as it should.
        }
    };
}

/// <summary>What the server saw of one request.</summary>
internal sealed record ServedRequest(string Path, string Host, string IfNoneMatch, string IfModifiedSince, string UserAgent);
