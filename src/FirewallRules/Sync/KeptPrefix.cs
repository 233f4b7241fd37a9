using System.Net;

namespace FirewallRules.Sync;

/// <summary>A prefix Datadog no longer publishes, still allowed until <paramref name="Until"/>.</summary>
/// <param name="Section">The section that published it.</param>
/// <param name="Prefix">The prefix (aggregated).</param>
/// <param name="Until">When the keep period ends; the first run after that drops it.</param>
internal sealed record KeptPrefix(string Section, IPNetwork Prefix, DateTimeOffset Until);
