namespace FirewallRules.Sync;

/// <summary>
/// A sync that loaded the newest document of its cache instead of a fetched one: because the fetch failed, or because it
/// was asked to make no request (<c>--offline</c>).
/// </summary>
/// <param name="Version">The cached document's version.</param>
/// <param name="Age">How long ago the upstream last confirmed it (a fetch that returned it, or answered that it had not changed).</param>
/// <param name="FetchFailure">Why the fetch failed; null when no request was made.</param>
internal sealed record CachedCopy(long Version, TimeSpan Age, string? FetchFailure);
