using System.ComponentModel.DataAnnotations;
using FirewallRules.Ranges;

namespace FirewallRules.Fetching;

/// <summary>
/// Settings for <see cref="IpRangesClient"/>: parsing limits, transport security, and the resilience
/// pipeline (timeouts, retry, circuit breaker). The defaults suit a process that fetches the
/// ip-ranges document now and then (at start-up, or every few minutes to hours).
/// </summary>
/// <remarks>
/// <para>The strategies run in this order, outermost first: <see cref="TotalTimeout"/>, retry
/// (<see cref="MaxRetryAttempts"/>), circuit breaker, <see cref="AttemptTimeout"/>. A retry is made
/// after a connection error, an attempt timeout, a response cut off mid-body, or HTTP 408, 429 or 5xx;
/// never after the caller cancels.</para>
/// <para>The resilience settings apply to clients made by <see cref="IpRangesClient.Create"/> and
/// <c>services.AddIpRangesClient()</c>; a client built around your own <see cref="HttpClient"/> uses
/// only <see cref="ParseOptions"/> and <see cref="AllowInsecureHttp"/>.</para>
/// <para>A plain settings bag: not thread-safe while being changed; the client copies nothing and
/// reads it as configured, so do not change it after the client is created.</para>
/// </remarks>
public sealed class IpRangesClientOptions : IValidatableObject
{
    /// <summary>Limits for the document (among them the largest body accepted, <see cref="IpRangesParseOptions.MaxBytes"/>).</summary>
    /// <value><see cref="IpRangesParseOptions.Default"/>: bodies up to 8 MiB, public prefixes only.</value>
    [Required]
    public IpRangesParseOptions ParseOptions { get; set; } = IpRangesParseOptions.Default;

    /// <summary>Allow plain <c>http://</c> to hosts other than loopback (a mirror inside your network).</summary>
    /// <value>
    /// <see langword="false"/>: only <c>https://</c> is used, except plain HTTP to a loopback address
    /// (<c>127.0.0.1</c>, <c>::1</c>, <c>localhost</c>). Certificate validation is never turned off by
    /// this library, whatever this says.
    /// </value>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>The longest one request may take, including its body, before it is abandoned and retried.</summary>
    /// <value>10 seconds. Allowed: 1 millisecond to 10 minutes.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a whole call may take, retries and waits included.</summary>
    /// <value>60 seconds. Allowed: 1 millisecond to 1 hour, and not less than <see cref="AttemptTimeout"/>.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times a failed request is retried (so at most this plus one requests per call).</summary>
    /// <value>3. Allowed: 0 (no retry) to 10.</value>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry's typical wait; later waits grow exponentially, with jitter.</summary>
    /// <value>1 second. Allowed: 0 to 1 minute.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait before a retry, whether computed or asked for by the server in a
    /// <c>Retry-After</c> header (seconds or an HTTP date); a longer <c>Retry-After</c> is cut to this.
    /// </summary>
    /// <value>30 seconds. Allowed: 0 to 10 minutes.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The share of failed requests, within <see cref="CircuitBreakerSamplingDuration"/>, that opens the circuit.</summary>
    /// <value>0.5. Allowed: more than 0, up to 1.</value>
    [Range(0.001, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>
    /// How many requests must have been made within <see cref="CircuitBreakerSamplingDuration"/> before the
    /// circuit can open. Kept small so that an occasional poller's failures count (Polly's default of 100
    /// would never be reached): with the defaults, two calls whose every attempt failed open the circuit.
    /// </summary>
    /// <value>8. Allowed: 2 to 1000.</value>
    [Range(2, 1000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 8;

    /// <summary>The window in which failures are counted.</summary>
    /// <value>5 minutes. Allowed: 0.5 seconds to 1 day.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an open circuit fails calls at once, without a request, before letting one through to probe.</summary>
    /// <value>1 minute. Allowed: 0.5 seconds to 1 day.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        // TimeSpan ranges are checked here: [Range(typeof(TimeSpan), ...)] converts through reflection, which trimming breaks.
        (string Name, TimeSpan Value, TimeSpan Min, TimeSpan Max)[] spans =
        [
            (nameof(AttemptTimeout), AttemptTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10)),
            (nameof(TotalTimeout), TotalTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1)),
            (nameof(RetryBaseDelay), RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1)),
            (nameof(MaxRetryDelay), MaxRetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
            (nameof(CircuitBreakerSamplingDuration), CircuitBreakerSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)),
            (nameof(CircuitBreakerBreakDuration), CircuitBreakerBreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)),
        ];
        foreach ((string name, TimeSpan value, TimeSpan min, TimeSpan max) in spans)
        {
            if (value < min || value > max)
            {
                yield return new ValidationResult($"{name} ({value}) must be between {min} and {max}.", [name]);
            }
        }

        if (TotalTimeout < AttemptTimeout)
        {
            yield return new ValidationResult(
                $"TotalTimeout ({TotalTimeout}) must not be less than AttemptTimeout ({AttemptTimeout}).", [nameof(TotalTimeout)]);
        }

        if (ParseOptions is { MaxBytes: <= 0 })
        {
            yield return new ValidationResult("ParseOptions.MaxBytes must be positive.", [nameof(ParseOptions)]);
        }
    }
}
