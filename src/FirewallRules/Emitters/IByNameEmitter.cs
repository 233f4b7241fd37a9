namespace FirewallRules.Emitters;

/// <summary>
/// An emitter whose output allows host names, not addresses (<c>squid</c>, <c>domains</c>, the Network Firewall domain
/// lists): the only kind the render step hands a rule set holding hosts alone (<see cref="RuleSet.Named"/>, no rule).
/// </summary>
internal interface IByNameEmitter
{
    /// <summary>How many host names the output of <paramref name="rules"/> (as prepared) holds: what a summary counts instead of rules and prefixes.</summary>
    int HostNames(RuleSet rules);

    /// <summary>
    /// How many addresses the output of <paramref name="rules"/> allows for relays an agent's plan gives by address
    /// (<c>dd_url: https://10.1.2.3:8443</c>): none for a list that holds names only, which leaves them out with a warning.
    /// </summary>
    int RelayAddresses(RuleSet rules) => 0;

    /// <summary>
    /// What the names the output of <paramref name="rules"/> (as prepared) holds are for: the sections, or the agent's features, in
    /// order; what a summary lists after "for", so that it names only what the output allows.
    /// </summary>
    IReadOnlyList<string> Features(RuleSet rules);
}
