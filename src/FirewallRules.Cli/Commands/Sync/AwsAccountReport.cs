using FirewallRules.Aws;
using FirewallRules.Sync;

namespace FirewallRules.Cli.Commands;

/// <summary>What one account sync did (or in a dry run would do).</summary>
/// <param name="Document">The document synced from.</param>
/// <param name="Rules">The rules allowed: published now, or kept within <c>--keep-removed</c>.</param>
/// <param name="Name">The name the lists and rules are owned under.</param>
/// <param name="PrefixLists">What was done to each list.</param>
/// <param name="Kept">The prefixes allowed only because they are within the keep period.</param>
internal sealed record AwsAccountReport(IpRangesDocument Document, RuleSet Rules, string Name, AwsPrefixListReport PrefixLists, IReadOnlyList<KeptPrefix> Kept)
{
    /// <summary>What was done to each security group (<c>-f aws-sg</c>); null when only the prefix lists are kept.</summary>
    public AwsSecurityGroupReport? Groups { get; init; }

    /// <summary>
    /// How many of the lists' entries hold kept prefixes that did not fit the grace record in the account's tags (the
    /// oldest; this runner's state still holds them).
    /// </summary>
    public int Unrecorded { get; init; }

    /// <summary>
    /// The prefixes still within the keep period that this run removed because the grace record in the account's tags could not
    /// hold them (the oldest): a kept prefix the record left out would be kept past its period.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> Cut { get; init; } = [];

    /// <summary>The region synced.</summary>
    public string Region { get; init; } = string.Empty;

    /// <summary>The account synced (the owner of its lists); null when not known (no list, or <c>--cidr-rules</c>).</summary>
    public string? Account { get; init; }
}
