using System.Diagnostics.CodeAnalysis;

namespace FirewallRules.Fetching;

/// <summary>The answer to a conditional fetch: either "not modified", or a new document with its validators.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class IpRangesFetchResult
{
    private IpRangesFetchResult(Uri requestUri, IpRangesDocument? document, IpRangesValidators validators, DateTimeOffset? date, TimeSpan? age)
    {
        RequestUri = requestUri;
        Document = document;
        Validators = validators;
        Date = date;
        Age = age;
    }

    /// <summary>The address that was fetched.</summary>
    public Uri RequestUri { get; }

    /// <summary>Whether the server answered <c>304 Not Modified</c>: the copy the validators came from is current.</summary>
    [MemberNotNullWhen(false, nameof(Document))]
    public bool IsNotModified => Document is null;

    /// <summary>The new document; null when <see cref="IsNotModified"/>.</summary>
    public IpRangesDocument? Document { get; }

    /// <summary>
    /// The validators to send next time: those of the new document, or, when not modified, those sent
    /// (updated by any the <c>304</c> carried).
    /// </summary>
    public IpRangesValidators Validators { get; }

    /// <summary>
    /// The response's <c>Date</c> header: the server's clock when it answered (a second's resolution); null when it sent none. A sync
    /// records no time later than it.
    /// </summary>
    public DateTimeOffset? Date { get; }

    /// <summary>
    /// The response's <c>Age</c> header (RFC 9111): how long ago the origin last confirmed this answer, as a mirror or cache says it;
    /// null when it sent none that can be read (not a non-negative integer). Bounded at ten years. A sync counts the copy as
    /// confirmed that long before the answer.
    /// </summary>
    public TimeSpan? Age { get; }

    internal static IpRangesFetchResult NotModified(Uri requestUri, IpRangesValidators validators, DateTimeOffset? date = null, TimeSpan? age = null) =>
        new(requestUri, null, validators, date, age);

    internal static IpRangesFetchResult Modified(Uri requestUri, IpRangesDocument document, IpRangesValidators validators, DateTimeOffset? date = null, TimeSpan? age = null) =>
        new(requestUri, document, validators, date, age);

    /// <inheritdoc/>
    public override string ToString() => IsNotModified ? $"{RequestUri}: not modified" : $"{RequestUri}: {Document}";
}
