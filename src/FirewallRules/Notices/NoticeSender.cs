using System.Net.Http.Headers;
using FirewallRules.Fetching;
using FirewallRules.Ranges;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace FirewallRules.Notices;

/// <summary>
/// Posts change notices as JSON, through the same resilience pipeline as fetching (total and per-attempt
/// timeouts, retries with backoff on connection errors, 408, 429 and 5xx, <c>Retry-After</c>, circuit breaker).
/// </summary>
/// <remarks>Thread-safe. Each notice carries its id in an <c>Idempotency-Key</c> header, for receivers that drop repeats.</remarks>
internal sealed class NoticeSender : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;

    private NoticeSender(HttpClient http) => _http = http;

    /// <summary>A sender with the resilience settings of <paramref name="options"/>.</summary>
    /// <param name="options">Timeouts and retries, as for fetching.</param>
    /// <param name="primaryHandler">The handler that does the I/O; a <see cref="SocketsHttpHandler"/> that follows no redirect when null.</param>
    /// <param name="timeProvider">The clock for timeouts and waits; the system clock when null.</param>
    public static NoticeSender Create(IpRangesClientOptions options, HttpMessageHandler? primaryHandler = null, TimeProvider? timeProvider = null)
    {
        HttpMessageHandler handler = IpRangesResilience.CreateHandler(options, timeProvider ?? TimeProvider.System, NullLoggerFactory.Instance, NullLogger.Instance,
            primaryHandler ?? new SocketsHttpHandler { AllowAutoRedirect = false }); // a redirect would turn the POST into a bodiless GET, "delivered"
        return new NoticeSender(new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan });
    }

    /// <summary>
    /// Why notices may not be posted to <paramref name="target"/>, or null when they may: an absolute https://
    /// address, or plain http:// to loopback unless <paramref name="allowInsecureHttp"/> (the rule fetching follows).
    /// </summary>
    public static string? CheckTarget(Uri target, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(target);
        return !target.IsAbsoluteUri || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp)
            ? $"'{target}' is not an absolute http(s) address"
            : TransportPolicy.Refusal(target, allowInsecureHttp) is null
                ? null
                : $"refusing to post notices to {Describe(target)}: only https:// is allowed, or plain http:// to a loopback address";
    }

    /// <summary>The target without its path and query, which often carry a webhook's secret: safe to print and log.</summary>
    public static string Describe(Uri target) =>
        target.IsAbsoluteUri ? $"{target.Scheme}://{target.Authority}/{(target.AbsolutePath.Length > 1 || target.Query.Length > 0 ? "…" : string.Empty)}" : "(a relative address)";

    /// <summary>Posts one notice, retrying as configured.</summary>
    /// <returns>Null when the receiver accepted it (any 2xx status), else why it failed after the retries (a redirect is a failure).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string?> SendAsync(Uri target, string id, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ReadOnlyMemoryContent(json) };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation("Idempotency-Key", id);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("FirewallRules", typeof(NoticeSender).Assembly.GetName().Version?.ToString(3) ?? "0"));
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : IpRangesResilience.DescribeStatus(response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or ExecutionRejectedException or IpRangesFormatException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return IpRangesResilience.Describe(Outcome.FromException<HttpResponseMessage>(ex), target.IdnHost);
        }
    }

    public void Dispose() => _http.Dispose();
}
