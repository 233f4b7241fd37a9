namespace FirewallRules.Emitters;

/// <summary>
/// An emitter whose output allows host names, not addresses (<c>squid</c>, <c>domains</c>, the Network Firewall domain
/// lists): the only kind the render step hands a rule set holding hosts alone (<see cref="RuleSet.Named"/>, no rule).
/// </summary>
internal interface IByNameEmitter
{
    /// <summary>How many host names the output of <paramref name="rules"/> (as prepared) holds: what a summary counts instead of rules and prefixes.</summary>
    int HostNames(RuleSet rules);
}
