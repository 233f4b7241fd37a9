using System.Buffers;

namespace FirewallRules.Fetching;

/// <summary>
/// What the server said identifies a version of the document (<c>ETag</c> and <c>Last-Modified</c>), sent
/// back on the next request so that an unchanged document costs a <c>304 Not Modified</c> and no body.
/// </summary>
/// <param name="ETag">The entity tag, quotes and any <c>W/</c> included; null when the server sent none. An invalid one is dropped (see <see cref="ETag"/>).</param>
/// <param name="LastModified">The <c>Last-Modified</c> time; null when the server sent none.</param>
/// <remarks>Immutable.</remarks>
public sealed record IpRangesValidators(string? ETag, DateTimeOffset? LastModified)
{
    // The longest entity tag kept, quotes included; real ones are a few dozen characters.
    private const int MaxETagLength = 256;

    // RFC 9110, section 8.8.3: etagc = %x21 / %x23-7E / obs-text. obs-text (bytes above 0x7E) is left out:
    // .NET cannot send it back, so a tag holding it would fail every later request.
    private static readonly SearchValues<char> ETagCharacters = SearchValues.Create(
        "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private readonly string? _eTag = ValidOrNull(ETag);

    /// <summary>
    /// The entity tag exactly as received, when it is a valid RFC 9110 entity tag of visible ASCII characters and at
    /// most 256 characters (<c>"v52"</c>, <c>W/"abc"</c>); null when there was none or it was not
    /// one. A server's bad tag is dropped rather than sent back, where it would fail or poison every later request.
    /// </summary>
    public string? ETag
    {
        get => _eTag;
        init => _eTag = ValidOrNull(value);
    }

    /// <summary>Whether there is nothing to send, so the server cannot answer "not modified".</summary>
    public bool IsEmpty => ETag is null && LastModified is null;

    private static string? ValidOrNull(string? eTag)
    {
        ReadOnlySpan<char> tag = eTag is not null && eTag.StartsWith("W/", StringComparison.Ordinal) ? eTag.AsSpan(2) : eTag;
        return eTag is { Length: <= MaxETagLength } && tag is ['"', .. var opaque, '"'] && !opaque.ContainsAnyExcept(ETagCharacters)
            ? eTag
            : null;
    }
}
