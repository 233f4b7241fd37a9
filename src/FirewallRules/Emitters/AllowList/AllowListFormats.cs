namespace FirewallRules.Emitters.AllowList;

/// <summary>
/// The name-aware allow-lists as the registry describes them: <c>squid</c> and <c>domains</c>, plain text with no settings
/// of their own. Both hold the list of <see cref="AllowListHosts"/>: every host an agent's plan reaches, or the host names
/// Datadog documents for each section the rules allow outbound, on the rules' ports; what they cannot hold by name
/// (inbound rules, sections without a documented host, raw TCP through a proxy) they list in comments, and the
/// description's warning says so.
/// </summary>
internal static class AllowListFormats
{
    /// <summary>A Squid include: CONNECT to the hosts on their ports, nothing else.</summary>
    public const string Squid = "squid";

    /// <summary>One host name a line with its port and protocol.</summary>
    public const string Domains = "domains";

    /// <summary>Adds <c>squid</c> and <c>domains</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new SquidEmitter(o), d => d with
        {
            Warning = arguments => AllowListHosts.Warning(arguments.Rendered, AllowListUse.HttpProxy, allowsAddresses: true),
        })
        .WithBuiltIn(o => new DomainListEmitter(o), d => d with { Warning = arguments => AllowListHosts.Warning(arguments.Rendered, AllowListUse.List) });
}
