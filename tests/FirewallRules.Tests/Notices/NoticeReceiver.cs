using System.Collections.Concurrent;
using System.Net.Sockets;
using FirewallRules.Tests.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FirewallRules.Tests.Notices;

/// <summary>
/// A webhook receiver (Kestrel on 127.0.0.1, or on a socket inside a namespace): records every POST it accepts, and
/// answers the first <see cref="FailFirst"/> requests with 503 instead, as a receiver having a bad minute would.
/// </summary>
internal sealed class NoticeReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedNotice> _accepted = new();
    private int _requests;

    private NoticeReceiver(WebApplication app) => _app = app;

    /// <summary>Where to post, e.g. <c>http://127.0.0.1:41234/hooks/T000/secret</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>How many requests to refuse with 503 before accepting, counted from the start.</summary>
    public int FailFirst { get; set; }

    /// <summary>Where to send every request with a 302 instead of answering it (requests there are answered), or null.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>Every request received, accepted or not.</summary>
    public int Requests => _requests;

    /// <summary>The notices accepted, in order.</summary>
    public IReadOnlyList<ReceivedNotice> Accepted => [.. _accepted];

    public static async Task<NoticeReceiver> StartAsync(Socket? listener = null)
    {
        var receiver = new NoticeReceiver(LoopbackKestrel.Build(listener));
        receiver._app.Run(receiver.HandleAsync);
        receiver.Url = new Uri(await LoopbackKestrel.StartAsync(receiver._app, listener), "hooks/T000/secret");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new StreamReader(context.Request.Body);
        string json = await body.ReadToEndAsync();
        if (RedirectTo is not null && context.Request.Path != RedirectTo)
        {
            Interlocked.Increment(ref _requests);
            context.Response.Redirect(RedirectTo);
            return;
        }

        if (Interlocked.Increment(ref _requests) <= FailFirst)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        _accepted.Enqueue(new ReceivedNotice(context.Request.Method, context.Request.Path, context.Request.ContentType ?? string.Empty,
            context.Request.Headers["Idempotency-Key"].ToString(), json));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}

/// <summary>One accepted request.</summary>
internal sealed record ReceivedNotice(string Method, string Path, string ContentType, string IdempotencyKey, string Json);
