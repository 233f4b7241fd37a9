using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace FirewallRules.Fetching;

/// <summary>
/// The client's resilience pipeline, written once for both ways of building the client: the strategies of
/// <see cref="IpRangesClientOptions"/> (total timeout, retry, circuit breaker, attempt timeout, outermost first)
/// on a Polly builder, which <c>AddResilienceHandler</c> (with dependency injection) or <see cref="CreateHandler"/>
/// (without) turns into Microsoft.Extensions.Http.Resilience's <see cref="ResilienceHandler"/>.
/// </summary>
/// <remarks>
/// Not the standard handler: its defaults add a rate limiter and 10 s / 30 s timeouts, which would change what the
/// options promise. Polly's telemetry (the <c>Polly</c> meter's resilience events, and its log category) comes with
/// the handler; the client's own log events (<see cref="IpRangesClientLog"/>) stay as they were.
/// </remarks>
internal static class IpRangesResilience
{
    /// <summary>The pipeline's name under the client's <c>IHttpClientFactory</c> name (<c>IpRangesClient-ip-ranges</c> in Polly's telemetry).</summary>
    public const string PipelineName = "ip-ranges";

    /// <summary>The handler chain of a client made without dependency injection, around <paramref name="inner"/>.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> breaks a rule.</exception>
    public static ResilienceHandler CreateHandler(IpRangesClientOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, ILogger logger, HttpMessageHandler inner)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = nameof(IpRangesClient), InstanceName = PipelineName, TimeProvider = timeProvider };
        Configure(builder, options, logger);
        builder.ConfigureTelemetry(loggerFactory);
        return new ResilienceHandler(builder.Build())
        {
            InnerHandler = new IpRangesAttemptHandler(options.ParseOptions.MaxBytes) { InnerHandler = inner },
        };
    }

    /// <summary>Adds the strategies of <paramref name="options"/> to <paramref name="builder"/>, outermost first.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> breaks a rule.</exception>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, IpRangesClientOptions options, ILogger logger)
    {
        IpRangesClientOptionsValidator.ThrowIfInvalid(options);
        TimeProvider timeProvider = builder.TimeProvider ?? TimeProvider.System;
        TimeSpan retryAfterCap = options.MaxRetryDelay;
        builder.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            // Polly rejects a retry strategy with no retries; zero means none.
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                // Polly applies MaxDelay only to the delays it computes, not to these: cap them here.
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, timeProvider, retryAfterCap)),
                OnRetry = args =>
                {
                    HttpRequestMessage? request = args.Context.GetRequestMessage();
                    string reason = Describe(args.Outcome, request?.RequestUri?.IdnHost);
                    if (request is not null && !request.Options.TryGetValue(IpRangesAttemptHandler.FirstFailureKey, out _))
                    {
                        request.Options.Set(IpRangesAttemptHandler.FirstFailureKey, reason);
                    }

                    IpRangesClientLog.RetryScheduled(logger, args.AttemptNumber + 1, request?.RequestUri, reason, args.RetryDelay);
                    return default;
                },
            });
        }

        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
                OnOpened = args =>
                {
                    IpRangesClientLog.CircuitOpened(logger, args.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    IpRangesClientLog.CircuitClosed(logger);
                    return default;
                },
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Failures that another attempt may not repeat. The caller's cancellation is not one of them.</summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: RedirectRefusedException } => false,
        // IOException: the body was cut off mid-stream (the attempt reads it; no file is involved).
        { Exception: HttpRequestException or IOException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            || (int)response.StatusCode >= 500,
        _ => false,
    };

    /// <summary>The wait a <c>Retry-After</c> header asks for (seconds, or an HTTP date), capped; null to use the computed backoff.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider timeProvider, TimeSpan cap)
    {
        if (response?.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        TimeSpan? wait = header.Delta ?? header.Date - timeProvider.GetUtcNow();
        return wait is not { } value ? null : value < TimeSpan.Zero ? TimeSpan.Zero : value > cap ? cap : value;
    }

    /// <summary>One failure in a few words, for logs and error messages.</summary>
    /// <summary>
    /// Why an attempt failed, in one phrase: the one place every fetch failure (and retry) is worded. A host name that
    /// did not resolve says so (<c>name resolution failed for HOST: REASON</c>), the system's reason after it: the bare
    /// reason (<c>Resource temporarily unavailable</c>) does not say that DNS was what failed.
    /// </summary>
    internal static string Describe(Outcome<HttpResponseMessage> outcome, string? host) => outcome switch
    {
        { Exception: { } exception } when host is not null && IsNameResolutionFailure(exception) =>
            $"name resolution failed for {host}: {exception.GetBaseException().Message}",
        { Exception: TimeoutRejectedException timeout } => $"timed out after {timeout.Timeout.TotalSeconds:0.###} s",
        // HttpClient wraps the useful part ("Connection reset by peer", a certificate error) in a generic message.
        { Exception: { } exception } => exception.GetBaseException().Message,
        { Result: { } response } => DescribeStatus(response.StatusCode),
        _ => "no response",
    };

    // HttpClient marks a failed lookup (HttpRequestError.NameResolutionError); the socket's own codes cover a lookup made elsewhere.
    private static bool IsNameResolutionFailure(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }
        || exception.GetBaseException() is System.Net.Sockets.SocketException
        {
            SocketErrorCode: System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData,
        };

    internal static string DescribeStatus(HttpStatusCode status) => $"HTTP {(int)status} ({status})";
}
