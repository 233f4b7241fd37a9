using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using FirewallRules.Fetching;
using FirewallRules.Ranges;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FirewallRules;

/// <summary>
/// Fetches Datadog's ip-ranges documents over HTTPS: the whole document, one section, or the whole
/// document only if it changed since the copy you hold (<c>ETag</c> / <c>Last-Modified</c>).
/// </summary>
/// <remarks>
/// <para>Three ways to get one. With dependency injection, <c>services.AddIpRangesClient()</c> registers it
/// as a typed client of <c>IHttpClientFactory</c>, with the resilience pipeline of
/// <see cref="IpRangesClientOptions"/> in its handler chain. Without,
/// <see cref="Create(IpRangesClientOptions?, HttpMessageHandler?, TimeProvider?, ILoggerFactory?)"/> builds the
/// same chain. The constructor wraps an <see cref="HttpClient"/> you configured yourself and adds no
/// resilience of its own.</para>
/// <para>Transport: only <c>https://</c>, except plain HTTP to a loopback address or when
/// <see cref="IpRangesClientOptions.AllowInsecureHttp"/> is set. The same rule holds for every redirect
/// (at most 5), and a redirect never steps down from https to http unless insecure HTTP is allowed; a
/// redirect that breaks it fails the fetch with <see cref="IpRangesFetchException"/>, unretried. Clients made by
/// <see cref="Create(IpRangesClientOptions?, HttpMessageHandler?, TimeProvider?, ILoggerFactory?)"/> and
/// <c>AddIpRangesClient</c> check each hop before following it; around your own <see cref="HttpClient"/>,
/// the address the response finally came from is checked. Certificates are validated by the
/// handler as usual; this library never turns that off. Proxies work the standard .NET way: the default
/// handler uses <see cref="HttpClient.DefaultProxy"/>, which reads <c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>,
/// <c>ALL_PROXY</c> and <c>NO_PROXY</c> (the system settings on Windows and macOS); for anything else pass
/// your own primary handler (<c>new SocketsHttpHandler { Proxy = new WebProxy(...) }</c>) to
/// <see cref="Create(IpRangesClientOptions?, HttpMessageHandler?, TimeProvider?, ILoggerFactory?)"/>, or use
/// <c>ConfigurePrimaryHttpMessageHandler</c> on the builder <c>AddIpRangesClient</c> returns.</para>
/// <para>Thread-safe: one instance may serve concurrent calls. It does not own a disposable resource
/// you must release: keep one for the life of the process, as you would an <see cref="HttpClient"/>.</para>
/// </remarks>
public sealed class IpRangesClient
{
    private static readonly ProductInfoHeaderValue UserAgent =
        new("FirewallRules", typeof(IpRangesClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly IpRangesClientOptions _options;
    private readonly ILogger _logger;

    /// <summary>Wraps an <see cref="HttpClient"/> you configured; its handlers, proxy and timeout are used as they are.</summary>
    /// <param name="httpClient">The client to send requests with. It is not disposed by this class.</param>
    /// <param name="options">Parsing limits and the plain-HTTP rule; <see langword="null"/> for the defaults. The resilience settings do not apply here.</param>
    /// <param name="logger">Where to log; <see langword="null"/> for none.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> breaks a rule.</exception>
    public IpRangesClient(HttpClient httpClient, IpRangesClientOptions? options = null, ILogger<IpRangesClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _options = IpRangesClientOptionsValidator.ThrowIfInvalid(options ?? new IpRangesClientOptions());
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Creates a client with the full resilience pipeline of <paramref name="options"/> (timeouts, retry,
    /// circuit breaker), for use without dependency injection.
    /// </summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="primaryHandler">
    /// The handler that does the I/O, e.g. a <see cref="SocketsHttpHandler"/> with a proxy; <see langword="null"/> for a
    /// <see cref="SocketsHttpHandler"/> using the default proxy and renewing connections every 5 minutes (so DNS changes are seen).
    /// The client follows redirects itself, checking every hop, so a <see cref="SocketsHttpHandler"/>'s or
    /// <see cref="HttpClientHandler"/>'s own <c>AllowAutoRedirect</c> is turned off.
    /// </param>
    /// <param name="timeProvider">The clock for timeouts and retry waits; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for none.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> breaks a rule.</exception>
    public static IpRangesClient Create(
        IpRangesClientOptions? options = null,
        HttpMessageHandler? primaryHandler = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        options ??= new IpRangesClientOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        ILogger<IpRangesClient> logger = loggerFactory.CreateLogger<IpRangesClient>();
        HttpMessageHandler handler = IpRangesResilience.CreateHandler(options, timeProvider ?? TimeProvider.System, loggerFactory, logger,
            new IpRangesRedirectHandler(options.AllowInsecureHttp)
            {
                InnerHandler = IpRangesRedirectHandler.WithoutAutoRedirect(primaryHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            });

        // The pipeline owns every time limit; HttpClient's own 100 s would cut across retries.
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        return new IpRangesClient(http, options, logger);
    }

    /// <summary>Fetches the whole ip-ranges document of <paramref name="site"/>.</summary>
    /// <param name="site">The Datadog site, or a mirror (<see cref="Site.Custom(Uri)"/>).</param>
    /// <param name="cancellationToken">Cancels the call; a cancelled call is never retried.</param>
    /// <returns>The document, with <see cref="IpRangesDocument.Site"/> set and its bytes exactly as received.</returns>
    /// <exception cref="IpRangesFetchException">The document could not be fetched, after retries.</exception>
    /// <exception cref="IpRangesFormatException">A body arrived but is not a valid document, or is larger than <see cref="IpRangesParseOptions.MaxBytes"/>.</exception>
    /// <exception cref="InsecureTransportException">
    /// The site's address is plain HTTP to a host that is not loopback, and <see cref="IpRangesClientOptions.AllowInsecureHttp"/> is off.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IpRangesDocument> GetAsync(Site site, CancellationToken cancellationToken = default)
    {
        IpRangesFetchResult result = await GetIfModifiedAsync(site, validators: null, cancellationToken).ConfigureAwait(false);
        return result.Document!;
    }

    /// <summary>
    /// Fetches the whole document of <paramref name="site"/> unless it is unchanged since the copy
    /// <paramref name="validators"/> came from (sent as <c>If-None-Match</c> and <c>If-Modified-Since</c>).
    /// </summary>
    /// <param name="site">The Datadog site, or a mirror.</param>
    /// <param name="validators">The validators of the copy you hold; <see langword="null"/> or empty for an unconditional fetch.</param>
    /// <param name="cancellationToken">Cancels the call; a cancelled call is never retried.</param>
    /// <returns>"Not modified", or the new document and the validators to send next time.</returns>
    /// <exception cref="IpRangesFetchException">The document could not be fetched, after retries.</exception>
    /// <exception cref="IpRangesFormatException">A body arrived but is not a valid document, or is too large.</exception>
    /// <exception cref="InsecureTransportException">
    /// The site's address is plain HTTP to a host that is not loopback, and <see cref="IpRangesClientOptions.AllowInsecureHttp"/> is off.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IpRangesFetchResult> GetIfModifiedAsync(Site site, IpRangesValidators? validators, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        Uri uri = site.IpRangesUri;
        bool conditional = validators is { IsEmpty: false };
        using HttpResponseMessage response = await SendAsync(site, uri, conditional ? validators : null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified && conditional)
        {
            IpRangesClientLog.NotModified(_logger, uri);
            IpRangesValidators sent = validators!;
            IpRangesValidators renewed = ReadValidators(response);
            return IpRangesFetchResult.NotModified(uri, new IpRangesValidators(renewed.ETag ?? sent.ETag, renewed.LastModified ?? sent.LastModified), response.Headers.Date,
                AgeHeader.Read(response.Headers));
        }

        byte[] body = await ReadBodyAsync(uri, response, cancellationToken).ConfigureAwait(false);
        IpRangesDocument document = IpRangesDocument.Parse(body, site, _options.ParseOptions);
        IpRangesClientLog.Fetched(_logger, uri, document.Version, body.Length);
        return IpRangesFetchResult.Modified(uri, document, ReadValidators(response), response.Headers.Date, AgeHeader.Read(response.Headers));
    }

    /// <summary>Fetches one section's document (<c>&lt;site&gt;/&lt;section&gt;.json</c>), which carries that section's prefixes at its root.</summary>
    /// <param name="site">The Datadog site, or a mirror.</param>
    /// <param name="section">The section's key, e.g. <c>logs</c> or <c>remote-configuration</c> (<c>_</c> and case do not matter).</param>
    /// <param name="cancellationToken">Cancels the call; a cancelled call is never retried.</param>
    /// <exception cref="IpRangesFetchException">The document could not be fetched, after retries (a section the site does not publish is usually HTTP 404 or 403).</exception>
    /// <exception cref="IpRangesFormatException">A body arrived but is not a valid section document, or is too large.</exception>
    /// <exception cref="InsecureTransportException">
    /// The site's address is plain HTTP to a host that is not loopback, and <see cref="IpRangesClientOptions.AllowInsecureHttp"/> is off.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IpRangesSection> GetSectionAsync(Site site, string section, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        string name = Sections.Normalize(section);
        Uri uri = site.GetSectionUri(name);
        using HttpResponseMessage response = await SendAsync(site, uri, validators: null, cancellationToken).ConfigureAwait(false);
        byte[] body = await ReadBodyAsync(uri, response, cancellationToken).ConfigureAwait(false);
        return IpRangesSection.Parse(name, body, _options.ParseOptions);
    }

    /// <inheritdoc cref="GetSectionAsync(Site, string, CancellationToken)"/>
    public Task<IpRangesSection> GetSectionAsync(Site site, Section section, CancellationToken cancellationToken = default) =>
        GetSectionAsync(site, Sections.GetName(section), cancellationToken);

    /// <summary>Sends a GET and returns a response that is a success or a 304; anything else becomes an <see cref="IpRangesFetchException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(Site site, Uri uri, IpRangesValidators? validators, CancellationToken cancellationToken)
    {
        CheckTransport(site);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(Json);
        if (_http.DefaultRequestHeaders.UserAgent.Count == 0)
        {
            request.Headers.UserAgent.Add(UserAgent);
        }

        if (validators?.ETag is string etag)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        request.Headers.IfModifiedSince = validators?.LastModified;
        IpRangesClientLog.Fetching(_logger, uri, validators is not null);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFetchFailure(ex, cancellationToken))
        {
            throw Failed(uri, request, ex);
        }

        CheckFinalAddress(uri, request, response);
        if (response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.NotModified && validators is not null))
        {
            return response;
        }

        using (response)
        {
            throw Failed(uri, request, exception: null, response.StatusCode);
        }
    }

    /// <summary>
    /// The body, refused beyond <see cref="IpRangesParseOptions.MaxBytes"/> while it streams. Behind the
    /// resilience handler it is already buffered; behind a plain handler it can still fail here.
    /// </summary>
    private async Task<byte[]> ReadBodyAsync(Uri uri, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await IpRangesDocument.ReadLimitedAsync(stream, _options.ParseOptions.MaxBytes, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsFetchFailure(ex, cancellationToken))
        {
            throw Failed(uri, response.RequestMessage, ex);
        }
    }

    private void CheckTransport(Site site)
    {
        Uri uri = site.IpRangesUri;
        if (TransportPolicy.Refusal(uri, _options.AllowInsecureHttp) is not null)
        {
            throw new InsecureTransportException(uri, nameof(site));
        }
    }

    /// <summary>
    /// Where the response came from, checked again: a handler of the caller's own may have followed redirects
    /// without <see cref="IpRangesRedirectHandler"/>'s checks. Nothing from a refused address is used.
    /// </summary>
    private void CheckFinalAddress(Uri uri, HttpRequestMessage request, HttpResponseMessage response)
    {
        if (response.RequestMessage?.RequestUri is { } final && final != uri && TransportPolicy.RedirectRefusal(uri, final, _options.AllowInsecureHttp) is { } refusal)
        {
            response.Dispose();
            throw Failed(uri, request, new RedirectRefusedException(refusal));
        }
    }

    // The caller's cancellation is not a failure to report; a timeout of the caller's own HttpClient is.
    private static bool IsFetchFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or IOException or ExecutionRejectedException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>The exception for a failed fetch, with the attempts and last status the resilience handler counted.</summary>
    private IpRangesFetchException Failed(Uri uri, HttpRequestMessage? request, Exception? exception, HttpStatusCode? status = null)
    {
        HttpRequestOptions? counts = request?.Options;
        int attempts = counts is not null && counts.TryGetValue(IpRangesAttemptHandler.AttemptsKey, out int counted)
            ? counted
            : exception is BrokenCircuitException ? 0 : 1;
        string reason = exception switch
        {
            BrokenCircuitException => "too many recent requests failed, so the circuit breaker is letting none through; try again later",
            null => IpRangesResilience.DescribeStatus(status!.Value),
            _ => IpRangesResilience.Describe(Outcome.FromException<HttpResponseMessage>(exception), (request?.RequestUri ?? uri).IdnHost),
        };
        string lastReason = reason;
        if (status is null && counts is not null && counts.TryGetValue(IpRangesAttemptHandler.LastStatusKey, out HttpStatusCode last))
        {
            status = last;
            reason += $" (last response: {IpRangesResilience.DescribeStatus(last)})";
        }

        reason += Context(exception, attempts, counts, lastReason);

        var failure = new IpRangesFetchException(uri, attempts, status, reason, exception);
        IpRangesClientLog.FetchFailed(_logger, failure, uri, attempts, status);
        return failure;
    }

    // What the last failure alone would hide: that the whole call ran out of time before its retries were spent,
    // and the first failure when the last one differs (a DNS failure that later attempts turned into timeouts).
    private string Context(Exception? exception, int attempts, HttpRequestOptions? counts, string lastReason)
    {
        string context = string.Empty;
        if (exception is TimeoutRejectedException { Timeout: var timeout } && timeout == _options.TotalTimeout && attempts <= _options.MaxRetryAttempts)
        {
            context += string.Create(CultureInfo.InvariantCulture,
                $"; the call's total time limit ({timeout.TotalSeconds:0.###} s) ended it after {attempts} of {_options.MaxRetryAttempts + 1} attempts");
        }

        if (counts is not null && counts.TryGetValue(IpRangesAttemptHandler.FirstFailureKey, out string? first)
            && !string.Equals(first, lastReason, StringComparison.Ordinal))
        {
            context += $"; the first attempt failed with: {first}";
        }

        return context;
    }

    private static IpRangesValidators ReadValidators(HttpResponseMessage response) =>
        new(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified);
}
