using System.Net;
using FirewallRules.Advice;

namespace FirewallRules.Fetching;

/// <summary>
/// The ip-ranges document could not be fetched: the network failed, every attempt timed out, the server
/// kept answering with an error status, or the circuit breaker is open. Retries are already spent.
/// </summary>
/// <remarks>
/// A body that arrived but is not a valid document is an <see cref="Ranges.IpRangesFormatException"/>
/// instead: retrying does not fix that. <see cref="HttpRequestException.StatusCode"/> is the last HTTP
/// status received, if any.
/// </remarks>
public sealed class IpRangesFetchException : HttpRequestException, IAdvisedFailure
{
    /// <summary>Creates the exception for a failed fetch of <paramref name="requestUri"/>.</summary>
    /// <param name="requestUri">What was fetched.</param>
    /// <param name="attempts">How many requests were made (0 when the circuit breaker allowed none).</param>
    /// <param name="lastStatus">The last HTTP status received, if any.</param>
    /// <param name="reason">Why the last attempt failed, e.g. <c>HTTP 503 (Service Unavailable)</c>.</param>
    /// <param name="innerException">The last attempt's exception, if it failed with one.</param>
    public IpRangesFetchException(Uri requestUri, int attempts, HttpStatusCode? lastStatus, string reason, Exception? innerException = null)
        : base(Describe(requestUri, attempts, reason), innerException, lastStatus)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        RequestUri = requestUri;
        Attempts = attempts;
        Reason = reason;
    }

    /// <summary>Creates the exception with a message.</summary>
    public IpRangesFetchException()
        : this("could not fetch the ip-ranges document")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IpRangesFetchException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public IpRangesFetchException(string message, Exception? innerException)
        : base(message, innerException)
    {
        RequestUri = null;
        Reason = message;
    }

    /// <summary>What was fetched; null only when the exception was created from a bare message.</summary>
    public Uri? RequestUri { get; }

    /// <summary>How many requests were made, retries included (0 when the circuit breaker was open).</summary>
    public int Attempts { get; }

    /// <summary>Why the last attempt failed, without the address.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    /// <remarks>The setting that would allow a redirect the client refused (plain HTTP); null for any other failure.</remarks>
    public SettingAdvice? Advice => (InnerException as RedirectRefusedException)?.Refusal;

    /// <inheritdoc/>
    public string FormatMessage(Func<string, string> nameSetting) =>
        Advice is { } advice ? Message.Replace(advice.ToString(), advice.Format(nameSetting), StringComparison.Ordinal) : Message;

    private static string Describe(Uri requestUri, int attempts, string reason) => attempts switch
    {
        0 => $"could not fetch {requestUri} (no request made): {reason}",
        1 => $"could not fetch {requestUri} (1 attempt): {reason}",
        _ => $"could not fetch {requestUri} ({attempts} attempts): {reason}",
    };
}
