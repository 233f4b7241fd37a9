using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FirewallRules.Advice;
using FirewallRules.Intakes;
using FirewallRules.Names;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.AllowList;

/// <summary>
/// The host names a name-aware output holds for a rule set, one list for all of them (<c>squid</c>, <c>domains</c>, the
/// Network Firewall domain lists): the hosts of the agent's plan the rules came from (<see cref="RuleSet.Named"/>), else for
/// each outbound allow rule the names Datadog documents for its sections on its port at the rules' site
/// (<see cref="IntakeHostNames"/>); and what is left out with the reason. Who reads the list (<see cref="AllowListUse"/>)
/// decides whether the agent's proxy and the hosts behind it are in it.
/// </summary>
internal static class AllowListHosts
{
    /// <summary>
    /// One allowed name on one port, and what needs it (a section, or the agent's feature); a public pool at any address (NTP) is
    /// marked, and so is a host the agent sends plain HTTP to (a proxied request, not a CONNECT).
    /// </summary>
    public sealed record Entry(string Name, PortRange Port, string Section, bool AnyAddress = false, bool PlainHttp = false);

    /// <summary>The names to allow and the rules left out, each as a reason line.</summary>
    /// <exception cref="RuleGenerationException">
    /// Outbound rules come from no named Datadog site, whose host names are unknown; or a planned host is not a DNS name.
    /// </exception>
    /// <param name="rules">The rules.</param>
    /// <param name="use">
    /// Who reads the list: a proxy (raw TCP and UDP left out, as no HTTP proxy carries them, and the proxy itself), the agent's
    /// own egress (only what it reaches itself: not the hosts behind its proxy), a domain list (not the proxy), or any list.
    /// </param>
    public static (IReadOnlyList<Entry> Entries, IReadOnlyList<string> LeftOut) Of(RuleSet rules, AllowListUse use)
    {
        (IReadOnlyList<Entry> entries, IReadOnlyList<string> leftOut, IReadOnlyList<AddressRelay> addresses) = WithAddresses(rules, use);
        return (entries, [.. leftOut, .. addresses.Select(relay => relay.LeftOut)]);
    }

    /// <summary>
    /// A host of the agent's plan given by its address (a relay: <c>dd_url: https://10.1.2.3:8443</c>), on its port, and what needs
    /// it: a list of names leaves it out (its reason line says so), an output that can also allow addresses (Cilium) allows it so.
    /// </summary>
    public sealed record AddressRelay(IPAddress Address, PortRange Port, string Section, bool PlainHttp = false)
    {
        /// <summary>Why a list of names leaves it out, and what to do instead.</summary>
        public string LeftOut => string.Create(CultureInfo.InvariantCulture,
            $"{Address} {Port} ({Section}): an address, not a host name, which a list of names cannot hold: allow it by address in the host's firewall");
    }

    /// <summary>The list of <see cref="Of"/>, with the plan's hosts given by an address apart (not among the reasons left out).</summary>
    /// <exception cref="RuleGenerationException">As <see cref="Of"/>.</exception>
    /// <param name="rules">The rules.</param>
    /// <param name="use">Who reads the list.</param>
    public static (IReadOnlyList<Entry> Entries, IReadOnlyList<string> LeftOut, IReadOnlyList<AddressRelay> Addresses) WithAddresses(RuleSet rules, AllowListUse use)
    {
        var entries = new List<Entry>();
        var leftOut = new List<string>();
        var addresses = new List<AddressRelay>();
        bool throughHttpProxy = use == AllowListUse.HttpProxy;
        if (rules.Named is { } named)
        {
            leftOut.AddRange(rules.Rules.Where(r => !IsOutboundAllow(r)).Select(NotOutbound));
            Planned(use == AllowListUse.AgentEgress ? [.. named.Where(n => !n.ThroughProxy)] : named, use, entries, (leftOut, addresses));
        }
        else
        {
            Documented(rules, throughHttpProxy, entries, leftOut);
            if (entries.Count == 0)
            {
                throw NothingToAllow(use == AllowListUse.HttpProxy ? "the proxy's allow-list" : "a domain list", leftOut);
            }
        }

        // A host on one port over both TLS and plain HTTP keeps both entries: a proxy allows a CONNECT for one, a proxied request for the other.
        Entry[] sorted = [.. entries.DistinctBy(e => (e.Name, e.Port, e.PlainHttp)).OrderBy(e => e.Port).ThenBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.PlainHttp)];
        // Through a proxy, a relay given by its address over UDP (statsd_forward_host: 10.9.9.9) is left out as the names over UDP are.
        AddressRelay[] udpRelays = [.. addresses.Where(r => throughHttpProxy && r.Port.Protocol != TransportProtocol.Tcp)];
        IEnumerable<Entry> udpAddresses = udpRelays.Select(r => new Entry(r.Address.ToString(), r.Port, r.Section));
        if (throughHttpProxy
            && NotOverTcp(sorted.Concat(udpAddresses), "UDP, which an HTTP proxy does not carry: the agent sends it directly, so allow it in the host's firewall") is string udp)
        {
            leftOut.Add(udp);
            sorted = [.. sorted.Where(e => e.Port.Protocol == TransportProtocol.Tcp)];
        }

        return (sorted, leftOut, [.. addresses.Except(udpRelays)]);
    }

    /// <summary>
    /// The entries that are not over TCP, on one line with <paramref name="why"/>: what a TCP-only output (a proxy, a domain
    /// list) leaves out, e.g. <c>0.datadog.pool.ntp.org, 1.datadog.pool.ntp.org on 123/udp (ntp): ...</c>; null when there is none.
    /// </summary>
    public static string? NotOverTcp(IEnumerable<Entry> entries, string why)
    {
        string[] groups = [.. entries.Where(e => e.Port.Protocol != TransportProtocol.Tcp).GroupBy(e => (e.Port, e.Section))
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", g.Select(e => e.Name))} on {g.Key.Port} ({g.Key.Section})"))];
        return groups.Length == 0 ? null : $"{string.Join("; ", groups)}: {why}";
    }

    // The plan's hosts: user text (a dd_url), each checked to be a DNS name before any line is written.
    private static void Planned(IReadOnlyList<NamedDestination> named, AllowListUse use, List<Entry> entries, (List<string> Reasons, List<AddressRelay> Addresses) left)
    {
        List<string> leftOut = left.Reasons;
        foreach (NamedDestination host in named)
        {
            if (host.IsProxy && ProxyLeftOut(host, use) is string reason)
            {
                leftOut.Add(reason);
                continue;
            }

            if (use == AllowListUse.HttpProxy && host.PastProxy is string entry)
            {
                leftOut.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{host.Host} {host.Port} ({host.Label}): no_proxy ({entry}) sends it past the proxy, so the agent reaches it directly: allow it in the host's firewall"));
                continue;
            }

            // Checked first: a host that is neither a DNS name nor an address is refused before any line names it.
            AddressRelay? relay = NameRules.IsDnsName(AnyVersion(host.Host) ? "v" + host.Host[1..] : host.Host) ? null : NotAName(host);
            if (use == AllowListUse.HttpProxy && host.IsRawTcp)
            {
                string shown = relay?.Address.ToString() ?? host.Host;
                leftOut.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{shown} {host.Port} ({host.Label} over raw TCP, which the Agent never sends through an HTTP proxy): allow it directly, or use logs over HTTPS"));
                continue;
            }

            if (relay is not null)
            {
                left.Addresses.Add(relay);
                continue;
            }

            entries.Add(new Entry(host.Host.TrimEnd('.').ToLowerInvariant(), host.Port, host.Label, host.AnyAddress, host.IsPlainHttp));
        }
    }

    // The versioned metrics and flare hosts of any version, as the plan names them when the agent's version is not given
    // (*-app.agent.<domain>, *-flare.agent.<domain>); each output writes the pattern its own way.
    private static bool AnyVersion(string host) =>
        IntakeCatalog.All.Any(intake => intake.Versioned && host.StartsWith("*" + intake.Prefix, StringComparison.Ordinal));

    // An address (dd_url: https://10.5.0.7:8126) is left out of a list of names, with what to do; anything else that is not a DNS name
    // is user text no line may carry, and is refused.
    private static AddressRelay NotAName(NamedDestination host)
    {
        if (!IPAddress.TryParse(host.Host.Trim('[', ']'), out IPAddress? address)
            || !host.Host.Contains(address.AddressFamily == AddressFamily.InterNetwork ? '.' : ':', StringComparison.Ordinal))
        {
            string shown = host.Host.Length <= 60 && host.Host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':') ? host.Host : "?";
            throw new RuleGenerationException($"the {host.Label} destination is not a DNS host name ({shown}): a name-aware allow-list holds names only");
        }

        return new AddressRelay(address, host.Port, host.Label, host.IsPlainHttp);
    }

    private const string ProxyMark = "(the agent's proxy)";

    // The proxy is a destination of the agent (its egress, a list), not of itself, nor of a domain list's matching.
    private static string? ProxyLeftOut(NamedDestination proxy, AllowListUse use)
    {
        string shown = string.Create(CultureInfo.InvariantCulture, $"{proxy.Host} {proxy.Port} {ProxyMark}");
        return use switch
        {
            AllowListUse.HttpProxy => $"{shown}: this is the proxy's own allow-list, and the proxy is not a destination of itself",
            AllowListUse.DomainMatch => $"{shown}: the agent's CONNECT requests to it name the Datadog hosts listed here (HTTP Host), " +
                "which is what a domain list matches, not the proxy's name",
            _ => null,
        };
    }

    // Datadog's documented names for each outbound allow rule's sections on its port, at the rules' site.
    private static void Documented(RuleSet rules, bool throughHttpProxy, List<Entry> entries, List<string> leftOut)
    {
        Site? site = rules.Provenance.Site;
        foreach (FirewallRule rule in rules.Rules)
        {
            if (!IsOutboundAllow(rule))
            {
                leftOut.Add(NotOutbound(rule));
                continue;
            }

            if (site is null || site.IsCustom)
            {
                throw new RuleGenerationException(
                    $"the {rule.Name} rule: host names are known for Datadog's sites only, and these ranges come from {(site is null ? "no named site" : site.ToString())}");
            }

            foreach (string section in rule.Sources)
            {
                if (throughHttpProxy && IntakeHostNames.IsRawTcp(section, rule.Port) && IntakeHostNames.NoTcpLogsIntake(section, rule.Port, site.Domain) is null)
                {
                    leftOut.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{rule.Name}: section '{section}' on {rule.Port} is logs over TCP, a raw connection the Agent never sends through an HTTP proxy"));
                    continue;
                }

                entries.AddRange(DocumentedNames(rule, section, site.Domain, leftOut).Select(name => new Entry(name, rule.Port, section)));
            }
        }
    }

    /// <summary>
    /// The refusal of every by-name output left with no host name for rules from a document (each section without one left out,
    /// <see cref="DocumentedNames"/>): it would allow nothing, which no one asks for; one line naming the first thing left out.
    /// </summary>
    public static RuleGenerationException NothingToAllow(string output, IReadOnlyList<string> leftOut, SettingAdvice? advice = null)
    {
        string reason = $"no outbound rule has a host name Datadog documents, so {output} would allow nothing{(leftOut.Count == 0 ? string.Empty : $" ({leftOut[0]})")}";
        return advice is null ? new RuleGenerationException(reason) : new RuleGenerationException(reason, advice);
    }

    /// <summary>
    /// The host names Datadog documents for <paramref name="section"/> of <paramref name="rule"/> on its port at <paramref name="domain"/>;
    /// none for a section it documents no name for (<c>global</c>, <c>webhooks</c>...), which is added to <paramref name="leftOut"/> as a
    /// reason line. What every output allowing sections by name does with such a section, named or not: say so on stderr (the format's
    /// warning) and leave it out, keeping the sections that have names (<c>squid</c>, <c>domains</c>, the Network Firewall lists, Cilium's
    /// <c>--by-name</c>); each output says for itself what it does when no name is left at all. Logs over TCP on 10516 name no host
    /// outside US1 (<see cref="IntakeHostNames.NoTcpLogsIntake"/>): left out the same way, with why.
    /// </summary>
    public static IReadOnlyList<string> DocumentedNames(FirewallRule rule, string section, string domain, ICollection<string> leftOut)
    {
        if (IntakeHostNames.NoTcpLogsIntake(section, rule.Port, domain) is string none)
        {
            leftOut.Add($"{rule.Name}: {none}");
            return [];
        }

        if (IntakeHostNames.For(section, rule.Port, domain) is { Count: > 0 } names)
        {
            return names;
        }

        leftOut.Add(string.Create(CultureInfo.InvariantCulture, $"{rule.Name}: Datadog documents no host name for section '{section}' on {rule.Port}"));
        return [];
    }

    private static bool IsOutboundAllow(FirewallRule rule) => rule.Direction == Direction.Egress && rule.Action == RuleAction.Allow;

    private static string NotOutbound(FirewallRule rule) =>
        $"{rule.Name} ({string.Join(", ", rule.Sources)}): not an outbound allow rule, which a name-aware allow-list cannot hold";

    /// <summary>
    /// The description's warning: rules the allow-list leaves out, one line each (a host, or a group of one reason); with
    /// <paramref name="allowsAddresses"/> (Squid's <c>dst</c> acls), not the relays given by address, which the output allows.
    /// </summary>
    public static SettingAdvice? Warning(RuleSet rules, AllowListUse use, bool allowsAddresses = false)
    {
        try
        {
            // Why the proxy itself is not listed is the output's comment, not a loss to warn about.
            (_, IReadOnlyList<string> leftOut, IReadOnlyList<AddressRelay> addresses) = WithAddresses(rules, use);
            IEnumerable<string> lost = leftOut.Where(reason => !reason.Contains(ProxyMark, StringComparison.Ordinal));
            return Advice(lost.Concat(allowsAddresses ? [] : addresses.Select(relay => relay.LeftOut)));
        }
        catch (RuleGenerationException)
        {
            return null;
        }
    }

    /// <summary>A by-name output's warning: what it leaves out, one line each (<c>not rendered by name: ...</c>); null when nothing is.</summary>
    public static SettingAdvice? Advice(IEnumerable<string> leftOut)
    {
        string[] lines = [.. leftOut];
        return lines.Length == 0 ? null
            : new SettingAdvice(string.Join('\n', lines.Select(reason => $"not rendered by name: {reason}"))
                .Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
    }
}
