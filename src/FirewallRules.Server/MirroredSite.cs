namespace FirewallRules.Server;

/// <summary>One site the mirror serves.</summary>
/// <param name="Key">Its name in addresses, e.g. <c>us1</c> in <c>/v1/us1/ip-ranges.json</c>.</param>
/// <param name="Site">The Datadog site it is.</param>
/// <param name="Source">Where its document is fetched: the site itself, or an upstream mirror of it.</param>
internal sealed record MirroredSite(string Key, Site Site, Site Source);
