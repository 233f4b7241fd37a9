namespace FirewallRules.Emitters;

/// <summary>
/// An emitter whose output holds less than the prepared rules, or host names beside them (the Kubernetes policy formats:
/// a listener reachable from loopback only needs no policy, Cilium's <c>--by-name</c> writes names instead of prefixes):
/// what a summary counts, as written.
/// </summary>
internal interface IWrittenCounts
{
    /// <summary>What the output of <paramref name="rules"/> (as prepared) holds.</summary>
    WrittenCounts Written(RuleSet rules);
}

/// <summary>What an output holds: rules by address and their prefixes, and host names.</summary>
/// <param name="Rules">The rules written with addresses.</param>
/// <param name="IPv4">The IPv4 prefixes they hold.</param>
/// <param name="IPv6">The IPv6 prefixes they hold.</param>
/// <param name="HostNames">The host names written.</param>
/// <param name="Policies">For a policy format, the policy objects written (a list split over several objects counts each), or null.</param>
/// <param name="Others">For a policy format, what its policies allow beside the rules and names: DNS, the in-cluster destinations.</param>
internal sealed record WrittenCounts(int Rules, int IPv4, int IPv6, int HostNames, int? Policies = null, IReadOnlyList<string>? Others = null)
{
    /// <summary>What the rules and names written are for (the sections, or the agent's features), in order; null: the rules' sources.</summary>
    public IReadOnlyList<string>? Features { get; init; }
}
