using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace FirewallRules.Fetching;

/// <summary>
/// The resilience pipeline every request of one client configuration goes through, built once and shared:
/// <c>IHttpClientFactory</c> rebuilds handler chains every few minutes, and a pipeline rebuilt with them
/// would forget the circuit breaker's state.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class IpRangesResiliencePipeline
{
    /// <summary>The request's address, for log messages written by the strategies' callbacks.</summary>
    public static readonly ResiliencePropertyKey<Uri> RequestUriKey = new("FirewallRules.RequestUri");

    /// <summary>Why the first attempt that was retried failed, kept for the final message when a later failure differs.</summary>
    public static readonly ResiliencePropertyKey<string> FirstFailureKey = new("FirewallRules.FirstFailure");

    private IpRangesResiliencePipeline(ResiliencePipeline<HttpResponseMessage> pipeline, long maxResponseBytes)
    {
        Pipeline = pipeline;
        MaxResponseBytes = maxResponseBytes;
    }

    /// <summary>Total timeout, then retry, then circuit breaker, then attempt timeout (outermost first).</summary>
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>The largest body an attempt reads (<see cref="Ranges.IpRangesParseOptions.MaxBytes"/>).</summary>
    public long MaxResponseBytes { get; }

    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> breaks a rule.</exception>
    public static IpRangesResiliencePipeline Create(IpRangesClientOptions options, TimeProvider timeProvider, ILogger logger)
    {
        IpRangesClientOptionsValidator.ThrowIfInvalid(options);
        TimeSpan retryAfterCap = options.MaxRetryDelay;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }.AddTimeout(options.TotalTimeout);
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
                    args.Context.Properties.TryGetValue(RequestUriKey, out Uri? uri);
                    string reason = Describe(args.Outcome);
                    if (!args.Context.Properties.TryGetValue(FirstFailureKey, out _))
                    {
                        args.Context.Properties.Set(FirstFailureKey, reason);
                    }

                    IpRangesClientLog.RetryScheduled(logger, args.AttemptNumber + 1, uri, reason, args.RetryDelay);
                    return default;
                },
            });
        }

        ResiliencePipeline<HttpResponseMessage> pipeline = builder
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
            .AddTimeout(options.AttemptTimeout)
            .Build();
        return new IpRangesResiliencePipeline(pipeline, options.ParseOptions.MaxBytes);
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
    internal static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException timeout } => $"timed out after {timeout.Timeout.TotalSeconds:0.###} s",
        // HttpClient wraps the useful part ("Connection reset by peer", a certificate error) in a generic message.
        { Exception: { } exception } => exception.GetBaseException().Message,
        { Result: { } response } => DescribeStatus(response.StatusCode),
        _ => "no response",
    };

    internal static string DescribeStatus(HttpStatusCode status) => $"HTTP {(int)status} ({status})";
}
