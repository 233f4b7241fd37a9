using System.Diagnostics.CodeAnalysis;

namespace FirewallRules.Fetching;

/// <summary>The answer to a conditional fetch: either "not modified", or a new document with its validators.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class IpRangesFetchResult
{
    private IpRangesFetchResult(Uri requestUri, IpRangesDocument? document, IpRangesValidators validators)
    {
        RequestUri = requestUri;
        Document = document;
        Validators = validators;
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

    internal static IpRangesFetchResult NotModified(Uri requestUri, IpRangesValidators validators) => new(requestUri, null, validators);

    internal static IpRangesFetchResult Modified(Uri requestUri, IpRangesDocument document, IpRangesValidators validators) =>
        new(requestUri, document, validators);

    /// <inheritdoc/>
    public override string ToString() => IsNotModified ? $"{RequestUri}: not modified" : $"{RequestUri}: {Document}";
}
