using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>What one <c>fwrules sync -f aws-prefix-list|aws-sg</c> run keeps in step.</summary>
/// <param name="Site">The site or mirror to fetch from.</param>
/// <param name="Sections">Section keys; empty for every egress section.</param>
/// <param name="Name">The base of every list name and the owner tag; null for <c>datadog-SECTIONS</c> (<c>datadog-egress</c> for every egress section).</param>
/// <param name="Families">The address families to keep.</param>
/// <param name="KeepRemoved">How long a prefix stays after Datadog stops publishing it.</param>
internal sealed record AwsSyncSettings(Site Site, IReadOnlyList<string> Sections, string? Name, AddressFamilies Families, TimeSpan KeepRemoved)
{
    /// <summary>
    /// The ports each section is allowed on when an agent's configuration says which (logs on 10516/tcp or 443/tcp, not
    /// both), as for a host; null for each section's documented ports.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortRange>>? SectionPorts { get; init; }

    /// <summary>
    /// The name a run uses: the one given, else <c>datadog-</c> and the sections given, sorted and joined by <c>-</c>
    /// (<c>datadog-egress</c> when none are given: a name that does not change when Datadog adds a section).
    /// </summary>
    public string ListName => Name ?? "datadog-" + (Sections.Count == 0 ? "egress" : string.Join('-', Sections.Order(StringComparer.Ordinal)));
}
