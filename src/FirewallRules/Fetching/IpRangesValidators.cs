namespace FirewallRules.Fetching;

/// <summary>
/// What the server said identifies a version of the document (<c>ETag</c> and <c>Last-Modified</c>), sent
/// back on the next request so that an unchanged document costs a <c>304 Not Modified</c> and no body.
/// </summary>
/// <param name="ETag">The entity tag exactly as received, quotes and any <c>W/</c> included; null when the server sent none.</param>
/// <param name="LastModified">The <c>Last-Modified</c> time; null when the server sent none.</param>
/// <remarks>Immutable.</remarks>
public sealed record IpRangesValidators(string? ETag, DateTimeOffset? LastModified)
{
    /// <summary>Whether there is nothing to send, so the server cannot answer "not modified".</summary>
    public bool IsEmpty => ETag is null && LastModified is null;
}
