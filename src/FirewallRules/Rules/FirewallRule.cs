using FirewallRules.Cidr;

namespace FirewallRules.Rules;

/// <summary>
/// One rule of a rule set: traffic in one direction, to one destination port or range, from or to a
/// set of aggregated prefixes (the remote side: destinations for egress, sources for ingress).
/// </summary>
/// <remarks>Immutable and thread-safe. Emitters split a rule into as many platform rules as its limits require.</remarks>
public sealed class FirewallRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="direction">Which way the traffic flows.</param>
    /// <param name="action">What to do with it.</param>
    /// <param name="port">The destination port or range.</param>
    /// <param name="prefixes">The remote prefixes; must not be empty.</param>
    /// <param name="sources">What the prefixes came from (section names), for names and comments; letters, digits and <c>-_.:</c> only.</param>
    /// <exception cref="RuleGenerationException"><paramref name="prefixes"/> is empty (an allow-list of nothing), or a source name holds other characters.</exception>
    public FirewallRule(Direction direction, RuleAction action, PortRange port, PrefixSet prefixes, IReadOnlyList<string> sources)
        : this(direction, action, port, prefixes, sources, UInt128.Zero, UInt128.Zero)
    {
    }

    private FirewallRule(Direction direction, RuleAction action, PortRange port, PrefixSet prefixes, IReadOnlyList<string> sources, UInt128 extraIPv4, UInt128 extraIPv6)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(sources);
        if (prefixes.IsEmpty)
        {
            throw new RuleGenerationException(
                $"the {direction.ToString().ToLowerInvariant()} rule for {port} from {string.Join(", ", sources)} has no prefixes: refusing to build an allow-list of nothing");
        }

        foreach (string source in sources)
        {
            if (source.Length is 0 or > 64 || !source.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                throw new RuleGenerationException($"'{source}' cannot name a rule's source: use letters, digits and - _ . :");
            }
        }

        Direction = direction;
        Action = action;
        Port = port;
        Prefixes = prefixes;
        Sources = sources;
        ExtraIPv4Addresses = extraIPv4;
        ExtraIPv6Addresses = extraIPv6;
    }

    /// <summary>Which way the traffic flows.</summary>
    public Direction Direction { get; }

    /// <summary>What the rule does.</summary>
    public RuleAction Action { get; }

    /// <summary>The destination port or range and its protocol.</summary>
    public PortRange Port { get; }

    /// <summary>The remote prefixes, aggregated.</summary>
    public PrefixSet Prefixes { get; }

    /// <summary>What the prefixes came from (section names), sorted.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>IPv4 addresses allowed beyond the sources' own because a prefix budget summarised the list (0 when exact).</summary>
    public UInt128 ExtraIPv4Addresses { get; }

    /// <summary>IPv6 addresses allowed beyond the sources' own because a prefix budget summarised the list (0 when exact).</summary>
    public UInt128 ExtraIPv6Addresses { get; }

    /// <summary>A stable name built from validated parts only, e.g. <c>egress-tcp-443</c> or <c>ingress-udp-8000-8100</c>.</summary>
    public string Name =>
        $"{(Direction == Direction.Egress ? "egress" : "ingress")}-{(Port.Protocol == TransportProtocol.Tcp ? "tcp" : "udp")}-{(Port.IsSinglePort ? $"{Port.First}" : $"{Port.First}-{Port.Last}")}";

    /// <summary>A one-line description built from validated parts only, e.g. <c>allow egress to 443/tcp for agents, logs</c>.</summary>
    public string Description =>
        $"{(Action == RuleAction.Allow ? "allow" : "deny")} {(Direction == Direction.Egress ? "egress to" : "ingress on")} {Port} for {string.Join(", ", Sources)}";

    /// <summary>The same rule restricted to <paramref name="families"/>, or null when nothing of it is left.</summary>
    internal FirewallRule? Restrict(AddressFamilies families)
    {
        PrefixSet kept = families switch
        {
            AddressFamilies.IPv4 => Prefixes.IPv4,
            AddressFamilies.IPv6 => Prefixes.IPv6,
            _ => Prefixes,
        };
        return kept.IsEmpty ? null : new FirewallRule(Direction, Action, Port, kept, Sources,
            families.HasFlag(AddressFamilies.IPv4) ? ExtraIPv4Addresses : UInt128.Zero,
            families.HasFlag(AddressFamilies.IPv6) ? ExtraIPv6Addresses : UInt128.Zero);
    }

    /// <summary>The same rule with each family summarised to at most the given number of prefixes (optimally).</summary>
    internal FirewallRule Summarize(int maxIPv4, int maxIPv6)
    {
        PrefixSummary summary = Prefixes.Summarize(Math.Max(maxIPv4, Prefixes.IPv4.IsEmpty ? 0 : 1), Math.Max(maxIPv6, Prefixes.IPv6.IsEmpty ? 0 : 1));
        return new FirewallRule(Direction, Action, Port, summary.Prefixes, Sources,
            ExtraIPv4Addresses + summary.ExtraIPv4Addresses, ExtraIPv6Addresses + summary.ExtraIPv6Addresses);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Prefixes.Count} prefixes ({string.Join(", ", Sources)})";
}
