using System.Globalization;
using FirewallRules.Emitters.AllowList;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Names;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// An AWS Network Firewall stateful domain list rule group (<c>ALLOWLIST</c> on <c>TLS_SNI</c> and <c>HTTP_HOST</c>) for
/// the host names the rules' outbound sections are reached by: the same list the <c>squid</c> and <c>domains</c>
/// formats hold (<see cref="AllowListHosts"/>), so a host added there reaches this format too. Shared by
/// <c>aws-network-firewall</c> (CloudFormation) and <c>terraform-aws-network-firewall</c>; every limit is checked here.
/// </summary>
/// <remarks>
/// <para>A target is an exact name, or <c>.example.com</c> for <c>example.com</c> and all its subdomains (Network
/// Firewall's only wildcard): the versioned metrics hosts (<c>*-app.agent.datadoghq.com</c>) become
/// <c>.agent.datadoghq.com</c>, which is wider, and the notes say so.</para>
/// <para>A domain list matches the TLS SNI and the HTTP Host header, on any port: the ports the rules expected are
/// stated (notes, description), not enforced. UDP entries cannot be matched by name and are left out.</para>
/// <para>Capacity: Network Firewall turns a domain list into one rule per domain and target type plus one per target type
/// (its capacity is the rules it holds); fixed at creation, so it is rounded up with room to grow, within the 30,000 of
/// one stateful rule group (Network Firewall's quotas, not adjustable).</para>
/// </remarks>
internal sealed record NetworkFirewallDomainList(
    IReadOnlyList<string> Targets, IReadOnlyList<PortRange> Ports, IReadOnlyList<string> Notes, int Capacity, string RuleGroupName)
{
    /// <summary>Network Firewall's largest capacity of one stateful rule group (a quota that cannot be changed).</summary>
    public const int MaxRuleGroupCapacity = 30_000;

    /// <summary>The protocols inspected: HTTPS by its TLS server name, HTTP by its Host header.</summary>
    public static IReadOnlyList<string> TargetTypes { get; } = ["TLS_SNI", "HTTP_HOST"];

    /// <summary>The most domains one rule group holds for <see cref="TargetTypes"/> within <see cref="MaxRuleGroupCapacity"/>: 14,999.</summary>
    public static int MaxTargets => (MaxRuleGroupCapacity - TargetTypes.Count) / TargetTypes.Count;

    /// <summary>The longest <c>Description</c> of a rule group (CloudFormation and the API: 512).</summary>
    public const int MaxDescriptionLength = 512;

    // Capacities a rule group is given, the least holding twice what it needs: a few more hosts later keep the same one.
    private static readonly int[] CapacitySteps = [100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, MaxRuleGroupCapacity];

    /// <summary>The rule group for <paramref name="rules"/>, named after <paramref name="options"/>.</summary>
    /// <exception cref="RuleGenerationException">
    /// No outbound rule has a documented host name, a name is not a DNS name, or there are more domains than one rule group holds.
    /// </exception>
    public static NetworkFirewallDomainList Create(RuleSet rules, EmitterOptions options)
    {
        (IReadOnlyList<AllowListHosts.Entry> entries, IReadOnlyList<string> leftOut) = AllowListHosts.Of(rules, AllowListUse.DomainMatch);
        var notes = new List<string>(leftOut.Select(reason => "not allowed: " + reason));
        if (AllowListHosts.NotOverTcp(entries, "a domain list matches TLS and HTTP, carried over TCP: allow it in a stateless rule group or security groups") is string udp)
        {
            notes.Add("not allowed: " + udp);
        }

        AllowListHosts.Entry[] tcp = [.. entries.Where(e => e.Port.Protocol == TransportProtocol.Tcp)];
        if (tcp.Length == 0)
        {
            throw AllowListHosts.NothingToAllow("a domain list", leftOut);
        }

        string[] all = [.. tcp.Select(e => Target(e.Name)).Distinct(StringComparer.Ordinal)];
        // A name a wildcard target already covers (metrics.agent.example.com beside .agent.example.com) is not listed again.
        string[] targets = [.. all.Where(t => !all.Any(w => w.StartsWith('.') && w != t && t.EndsWith(w, StringComparison.Ordinal))).Order(StringComparer.Ordinal)];
        PortRange[] ports = [.. tcp.Select(e => e.Port).Distinct().Order()];
        notes.InsertRange(0, [PortsNote(ports), .. tcp.Where(e => e.Name.StartsWith('*')).Select(e => e.Name).Distinct()
            .Select(name => $"{name} is allowed as {Target(name)} (the domain and every subdomain): Network Firewall's only wildcard is a leading dot")]);
        return new NetworkFirewallDomainList(targets, ports, notes, CapacityFor(targets.Length), options.Name.Replace('_', '-') + "-agent-hosts");
    }

    /// <summary>What the domains of <paramref name="rules"/>' list are for (the sections or the agent's features): those allowed over TCP.</summary>
    public static IReadOnlyList<string> Features(RuleSet rules) =>
        [.. AllowListHosts.Of(rules, AllowListUse.DomainMatch).Entries.Where(e => e.Port.Protocol == TransportProtocol.Tcp).Select(e => e.Section).Distinct()];

    /// <summary>The capacity a rule group of <paramref name="domains"/> targets is given, with room to grow.</summary>
    /// <exception cref="RuleGenerationException">More than <see cref="MaxTargets"/> domains: one line saying so.</exception>
    public static int CapacityFor(int domains)
    {
        if (domains > MaxTargets)
        {
            throw new RuleGenerationException(string.Create(CultureInfo.InvariantCulture,
                $"{domains:N0} domains need a rule group capacity of {Needed(domains):N0}, over the {MaxRuleGroupCapacity:N0} of one Network Firewall "
                + $"stateful rule group (at most {MaxTargets:N0} domains on TLS_SNI and HTTP_HOST)"));
        }

        int needed = Needed(domains);
        return CapacitySteps.FirstOrDefault(step => step >= 2 * needed, MaxRuleGroupCapacity);
    }

    /// <summary>The rules Network Firewall generates for <paramref name="domains"/> targets: one per domain and target type, and one per target type.</summary>
    public static int Needed(int domains) => (domains + 1) * TargetTypes.Count;

    /// <summary>The rule group's description: what it allows and the ports the rules expected, on one line within <see cref="MaxDescriptionLength"/>.</summary>
    public string Description
    {
        get
        {
            string text = CommentText.SingleLine($"Datadog Agent hosts by TLS SNI and HTTP Host (fwrules). {PortsNote(Ports)}");
            int cut = MaxDescriptionLength - 3;
            return text.Length <= MaxDescriptionLength ? text : text[..(char.IsHighSurrogate(text[cut - 1]) ? cut - 1 : cut)] + "...";
        }
    }

    /// <summary>
    /// The target for a host name, lower case; for a name whose first label is a pattern (<c>*-app.agent.example.com</c>)
    /// Network Firewall's wildcard for its parent domain (<c>.agent.example.com</c>).
    /// </summary>
    /// <exception cref="RuleGenerationException">The name is not a DNS name (not echoed unless plain).</exception>
    internal static string Target(string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        string target = name.StartsWith('*') && dot > 0 ? name[dot..] : name;
        string host = target.TrimStart('.').ToLowerInvariant();
        if (!NameRules.IsHostName(host))
        {
            string shown = host.Length <= 60 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-') ? host : "?";
            throw new RuleGenerationException($"a host to allow is not a DNS name ({shown}): a Network Firewall domain list holds names only");
        }

        return target.StartsWith('.') ? "." + host : host;
    }

    private static string PortsNote(IEnumerable<PortRange> ports) =>
        $"The rules expected {string.Join(", ", ports)}: a domain list matches names on any port, so keep the ports in a stateless rule group or security groups.";
}
