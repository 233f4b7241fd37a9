namespace FirewallRules.Server;

/// <summary>How one background fetch of a site ended.</summary>
internal enum FetchResult
{
    /// <summary>A new version was vetted, stored and is served now.</summary>
    Updated,

    /// <summary>The upstream said the served version is still current.</summary>
    NotModified,

    /// <summary>The upstream sent the served version again, byte for byte (an upstream without validators).</summary>
    Unchanged,

    /// <summary>Refused: a lower version than the one served.</summary>
    Rollback,

    /// <summary>Refused: it would empty a section or remove too many of its addresses.</summary>
    Shrink,

    /// <summary>Refused: it would grow a section to many times its addresses.</summary>
    Growth,

    /// <summary>Refused: the served version number with different content.</summary>
    Conflict,

    /// <summary>Refused: not a valid ip-ranges document.</summary>
    Invalid,

    /// <summary>The upstream could not be reached, or kept failing, after the retries.</summary>
    Failed,

    /// <summary>The snapshot store could not be read or written.</summary>
    StoreError,
}

/// <summary>What a <see cref="FetchResult"/> means for the version in service.</summary>
internal static class FetchResults
{
    /// <summary>Whether the fetch ended with the upstream's document in service: updated, not modified or unchanged.</summary>
    public static bool IsSuccess(this FetchResult result) => result is FetchResult.Updated or FetchResult.NotModified or FetchResult.Unchanged;

    /// <summary>
    /// How the fetch ended, in words for people (the pages); <see cref="MirrorMetrics.Label"/> is the metrics' and the
    /// log's <c>not_modified</c>.
    /// </summary>
    public static string Words(this FetchResult result) => result switch
    {
        FetchResult.Updated => "a new version, stored and served",
        FetchResult.NotModified => "not modified upstream: the version in force is current",
        FetchResult.Unchanged => "unchanged: the upstream sent the version in force again",
        FetchResult.Rollback => "refused: a lower version than the one served",
        FetchResult.Shrink => "refused: it would empty a section or remove too many of its addresses",
        FetchResult.Growth => "refused: it would grow a section to many times its addresses",
        FetchResult.Conflict => "refused: the served version number with other content",
        FetchResult.Invalid => "refused: not a valid ip-ranges document",
        FetchResult.Failed => "failed: the upstream could not be reached, or kept failing",
        _ => "failed: the snapshot store could not be read or written",
    };
}
