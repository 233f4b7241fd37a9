using System.Globalization;
using FirewallRules.Advice;
using FirewallRules.Emitters.AllowList;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// Format <c>cilium</c>: <c>cilium.io/v2</c> CiliumNetworkPolicies (or CiliumClusterwideNetworkPolicies with
/// <see cref="KubernetesPolicyOptions.ClusterWide"/>), one per rule (split when a list would make an object too large):
/// <c>toCIDRSet</c>/<c>fromCIDRSet</c> with <c>toPorts</c>, deny rules as <c>egressDeny</c>/<c>ingressDeny</c>, and for
/// egress a policy allowing DNS to the cluster's DNS pods.
/// </summary>
/// <remarks>
/// <para>With <see cref="KubernetesPolicyOptions.ByName"/>, egress rules allow the site's intake host names
/// (<c>toFQDNs</c>) instead, and the DNS policy sends lookups through Cilium's DNS proxy (<c>rules.dns</c>), which is
/// how Cilium learns the names' addresses. Rules from an agent's plan allow its hosts instead, the list every name-aware
/// output holds (<see cref="AllowListHosts"/>): by-name-only hosts and relays too, each on its port (a policy per port no
/// section rule has); the addresses given for one of its features (<c>--open proxy=ADDRESS</c>) stay addresses, and so does a relay
/// the agent was given by its address (<c>dd_url: https://10.1.2.3:8443</c>: <c>toCIDRSet</c> on its port). The Cluster Agent's own
/// hosts (<see cref="NamedDestination.ByClusterAgent"/>) go on policies selecting its pods, unless the pods are chosen.</para>
/// <para>Every prefix allowed on a port takes about one entry of the selected pods' policy map, whichever object holds
/// it: output that would need more than <see cref="KubernetesPolicyOptions.MaxPolicyMapEntries"/> is refused.</para>
/// </remarks>
public sealed class CiliumNetworkPolicyEmitter : IRuleEmitter, IWrittenCounts
{
    private readonly KubernetesPolicyOptions _options;
    private KubernetesPolicyPlan.WrittenPolicies? _written;
    private YamlNode? _specialDeny;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="KubernetesPolicyOptions"/> defaults when null.</param>
    public CiliumNetworkPolicyEmitter(KubernetesPolicyOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "cilium";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "Cilium network policies (YAML): toCIDRSet or toFQDNs per rule, DNS through Cilium's proxy";

    private string Kind => _options.ClusterWide ? "CiliumClusterwideNetworkPolicy" : "CiliumNetworkPolicy";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">
    /// An ingress rule without a pod selector, names asked for a section or site without documented host names, the policy
    /// map would overflow, or an object cannot fit.
    /// </exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        if (_options.ByName && !_options.AllowDns)
        {
            throw new RuleGenerationException("toFQDNs only works with the DNS rule that sends lookups through Cilium's proxy",
                new SettingAdvice("keep the DNS rule ({0})", SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.AllowDns), true)));
        }

        // An agent's plan: its hosts, as every name-aware output lists them (relays and by-name-only hosts with their ports).
        PlannedHosts? hosts = _options.ByName && rules.Rules.Named is not null ? Planned(rules.Rules, _options.PodSelector is null) : null;
        AllowListHosts.Entry[]? planned = hosts?.Names;
        AllowListHosts.AddressRelay[] relays = hosts?.Relays ?? [];
        KubernetesPolicyPlan plan = KubernetesPolicyPlan.Create(rules, _options, Format, denies: true, namedEgress: planned is { Length: > 0 } || relays.Length > 0);
        CheckPolicyMap(plan, relays.Length);
        _specialDeny = CiliumSpecialDestinations.Deny(relays.Concat(hosts?.ClusterAgentRelays ?? []).Select(r => r.Address));
        List<YamlNode> documents = RulePolicies(plan, planned, relays);
        documents.AddRange(NameOnlyPorts(plan, planned, relays));
        documents.AddRange(ClusterAgentPolicies(hosts?.ClusterAgent ?? [], hosts?.ClusterAgentRelays ?? []));
        // NTP's pool by name (--by-name with an agent's plan) takes the place of the world entity, in the policy of that name.
        ClusterDestination[] cluster = [.. plan.ClusterDestinations.Where(d => d != ClusterDestination.Ntp || !(planned?.Any(e => e.AnyAddress) ?? false))];
        documents.AddRange(NtpByName(planned));
        documents.AddRange(cluster.Select(Cluster));
        if (plan.HasEgress && _options.AllowDns)
        {
            documents.Add(Dns());
        }

        KubernetesObjects.Write(output, _options.Comments, Header(plan, cluster, planned, hosts is { ClusterAgent.Length: > 0 } or { ClusterAgentRelays.Length: > 0 }), documents);
        bool ntpByName = planned?.Any(e => e.AnyAddress) ?? false;
        _written = new(plan.Rules, documents.Count, plan.Others(ntpByName ? cluster.Prepend(ClusterDestination.Ntp).Distinct().Order() : cluster, _options.AllowDns));
    }

    // A policy per rule: by name (toFQDNs) or by address (toCIDRSet, split when an object would be too large). Sections without a
    // documented name are left out (the format's warning says so); with none left, the policies would allow nothing by name: refused.
    private List<YamlNode> RulePolicies(KubernetesPolicyPlan plan, AllowListHosts.Entry[]? planned, AllowListHosts.AddressRelay[] relays)
    {
        var documents = new List<YamlNode>();
        var leftOut = new List<string>();
        int byName = 0;
        foreach (KubernetesPolicyPlan.PolicyRule policy in plan.Policies)
        {
            if (ByNameRule(policy.Rule, planned))
            {
                bool fromPlan = planned is not null && policy.Rule.Action == RuleAction.Allow;
                if ((fromPlan ? PlannedNames(policy.Rule, planned!) : HostNames(policy.Rule, plan.Rules.Provenance.Site, leftOut)) is not YamlNode names)
                {
                    continue; // No section of the rule has a documented name: left out, as the format's warning says.
                }

                byName++;
                AllowListHosts.AddressRelay[] onPort = fromPlan ? [.. relays.Where(r => r.Port == policy.Rule.Port)] : [];
                documents.Add(Policy(policy, policy.Name, [YamlNode.Map(("toFQDNs", names), ("toPorts", Ports(policy.Rule.Port))), .. RelayRules(policy.Rule.Port, onPort)],
                    fromPlan ? ByNameDescription(policy.Rule.Port, planned!.Where(e => !e.AnyAddress && e.Port == policy.Rule.Port), onPort) : null, names: true));
                continue;
            }

            List<PrefixSet> parts = KubernetesObjects.Split(
                policy.Prefixes,
                chunk => Policy(policy, KubernetesObjects.LongestPartName(policy.Name, policy.Prefixes.Count), [CidrRule(policy.Rule, chunk)]),
                _options.MaxObjectBytes,
                policy.Name);
            documents.AddRange(parts.Select((part, i) => Policy(policy, KubernetesObjects.PartName(policy.Name, i, parts.Count), [CidrRule(policy.Rule, part)])));
        }

        if (leftOut.Count > 0 && byName == 0)
        {
            throw AllowListHosts.NothingToAllow("toFQDNs", leftOut, AddressForm);
        }

        return documents;
    }

    /// <inheritdoc/>
    /// <remarks>With <see cref="KubernetesPolicyOptions.ByName"/>, the egress rules written as host names count as names, not rules.</remarks>
    WrittenCounts IWrittenCounts.Written(RuleSet rules)
    {
        PlannedHosts? hosts = _options.ByName && rules.Named is not null ? Planned(rules, _options.PodSelector is null) : null;
        AllowListHosts.Entry[]? planned = hosts?.Names;
        string? domain = rules.Provenance.Site?.Domain;
        FirewallRule[] sectionsByName = [.. rules.Rules.Where(rule => _options.ByName && planned is null && ByNameRule(rule, null) && domain is not null)];
        IEnumerable<string> names = !_options.ByName ? []
            : hosts is { } all ? all.Names.Concat(all.ClusterAgent).Select(e => e.Name)
            : sectionsByName.SelectMany(rule => rule.Sources.SelectMany(section => AllowListHosts.DocumentedNames(rule, section, domain!, new List<string>())));
        IEnumerable<string> named = hosts is { } plan
            ? plan.Names.Concat(plan.ClusterAgent).Select(e => e.Section).Concat(plan.Relays.Concat(plan.ClusterAgentRelays).Select(r => r.Section))
            : sectionsByName.SelectMany(rule => rule.Sources.Where(section => AllowListHosts.DocumentedNames(rule, section, domain!, new List<string>()).Count > 0));
        return KubernetesPolicyPlan.Written(rules, rule => ByNameRule(rule, planned), names.Distinct(StringComparer.Ordinal).Count(),
            ReferenceEquals(_written?.Rules, rules) ? _written : null, named);
    }

    // The agent's own egress: what it reaches itself by name, and the relays it was given by address (dd_url: https://10.1.2.3:8443), which
    // toCIDRSet allows; less what it was given addresses for (--open proxy=ADDRESS), which a rule of its own allows. With the default pod
    // selectors, the Cluster Agent's own hosts apart (NamedDestination.ByClusterAgent): its pods, not the node agents', reach them.
    private static PlannedHosts Planned(RuleSet rules, bool byPod)
    {
        string[] byAddress = [.. rules.Rules.Where(r => r.Direction == Direction.Egress && r.Action == RuleAction.Allow).SelectMany(r => r.Sources).Where(IsFeature)];
        NamedDestination[] clusterAgent = byPod ? [.. rules.Named!.Where(n => n.ByClusterAgent)] : [];
        NamedDestination[] nodes = [.. rules.Named!.Except(clusterAgent)];
        (IReadOnlyList<AllowListHosts.Entry> names, _, IReadOnlyList<AllowListHosts.AddressRelay> relays) = nodes.Length == 0 ? ([], [], [])
            : AllowListHosts.WithAddresses(clusterAgent.Length == 0 ? rules : RuleSet.WithNamed(rules.Rules, rules.Provenance, nodes), AllowListUse.AgentEgress);
        (IReadOnlyList<AllowListHosts.Entry> ownNames, _, IReadOnlyList<AllowListHosts.AddressRelay> ownRelays) = clusterAgent.Length == 0 ? ([], [], [])
            : AllowListHosts.WithAddresses(RuleSet.WithNamed([], rules.Provenance, clusterAgent), AllowListUse.AgentEgress);
        return new([.. names.Where(e => !byAddress.Contains($"agent:{e.Section}", StringComparer.Ordinal))],
            [.. relays.Where(r => !byAddress.Contains($"agent:{r.Section}", StringComparer.Ordinal)).DistinctBy(r => (r.Address, r.Port))],
            [.. ownNames], [.. ownRelays.DistinctBy(r => (r.Address, r.Port))]);
    }

    // The plan's hosts as the policies allow them: the node agents' by name and by address, and the Cluster Agent's own.
    private sealed record PlannedHosts(AllowListHosts.Entry[] Names, AllowListHosts.AddressRelay[] Relays, AllowListHosts.Entry[] ClusterAgent,
        AllowListHosts.AddressRelay[] ClusterAgentRelays);

    private string[] Header(KubernetesPolicyPlan plan, IReadOnlyList<ClusterDestination> cluster, AllowListHosts.Entry[]? planned, bool clusterAgent)
    {
        string apply = "Apply with: kubectl apply -f FILE (Cilium's CRDs installed). To also remove policies an earlier run made and this one does not: " +
            $"kubectl apply -f FILE --prune -l {KubernetesObjects.PartOfLabel}={_options.Name} --prune-allowlist=cilium.io/v2/{Kind}";
        string entities = "by Cilium's entities: kube-apiserver for the API server, host and remote-node for the kubelet" +
            (cluster.Contains(ClusterDestination.Ntp) ? ", world for NTP." : ".");
        AllowListHosts.Entry? proxy = planned?.FirstOrDefault(e => e.Section == "proxy");
        return
        [
            $"Datadog IP ranges as {Kind} objects (fwrules format cilium).",
            .. plan.Rules.Describe(),
            .. plan.Notes,
            .. ClusterPeers.Notes(cluster, entities, _options, _options.ClusterWide),
            .. _options.ByName
                ? ["Egress is allowed by host name (toFQDNs): Cilium learns the addresses from the lookups its DNS proxy sees, " +
                    "so the Agent must resolve the names itself, through the cluster's DNS. A name may resolve anywhere: each policy allowing names also " +
                    "denies every special-purpose address (loopback, link-local and every cloud's metadata service, ...) on every port (egressDeny), " +
                    "which no allow reopens (Cilium 1.14 or later; 1.14.16 or 1.15.10 and later for the Cluster Agent's add-only policies)."]
                : Array.Empty<string>(),
            .. proxy is null
                ? Array.Empty<string>()
                : [$"The Agent sends its HTTP(S) traffic through the proxy {proxy.Name} ({proxy.Port}): these policies allow the proxy by name, and what bypasses it " +
                    "(no_proxy hosts, logs over TCP, NTP); the Datadog hosts behind the proxy are the proxy's to allow (the squid format's allow-list). " +
                    "toFQDNs does not match pods in the cluster: for a proxy running as a pod, give the proxy's address instead (rendered as toCIDRSet) " +
                    "or allow its pods by another policy."],
            .. clusterAgent
                ? ["The Cluster Agent's own destinations (its external metrics provider) are allowed to its pods (agent.datadoghq.com/component: cluster-agent), " +
                    "with DNS through Cilium's proxy, by policies that leave its other traffic as it is (enableDefaultDeny egress: false, Cilium 1.15 or later) " +
                    "but for the special-purpose addresses, which they deny: its cloud's metadata service too, so give the Cluster Agent its cluster name " +
                    "(clusterName) rather than have it read it there."]
                : Array.Empty<string>(),
            apply,
        ];
    }

    // NTP's public pool by name, in the policy the world entity otherwise takes (its name stays the same).
    private IEnumerable<YamlNode> NtpByName(AllowListHosts.Entry[]? planned)
    {
        foreach (IGrouping<PortRange, AllowListHosts.Entry> port in (planned ?? []).Where(e => e.AnyAddress).GroupBy(e => e.Port))
        {
            YamlNode rule = YamlNode.Map(("toFQDNs", NameList(port.Select(e => e.Name))), ("toPorts", Ports(port.Key)));
            yield return Frame(ClusterPeers.ObjectName(_options, ClusterDestination.Ntp), ByNameDescription(port.Key, port, []),
                _options.PodSelector ?? KubernetesPolicyOptions.AgentPodSelector, ("egress", YamlNode.List([rule])), names: true);
        }
    }

    private void CheckPolicyMap(KubernetesPolicyPlan plan, int relays)
    {
        int entries = relays + plan.Policies.Where(p => !(_options.ByName && p.Rule.Direction == Direction.Egress && !IsAgentOnly(p.Rule, plan.Rules))).Sum(p => p.Prefixes.Count)
            + (plan.HasEgress && _options.AllowDns ? 2 : 0) + (plan.HasEgress && _options.ByName ? CiliumSpecialDestinations.Entries : 0)
            + plan.ClusterDestinations.Sum(d => Math.Max(1, Entities(d).Length) * ClusterPeers.Ports(d, _options).Count);
        if (entries > _options.MaxPolicyMapEntries)
        {
            throw new RuleGenerationException(
                string.Create(CultureInfo.InvariantCulture,
                    $"the policies would need about {entries} entries in the selected pods' policy map, more than {_options.MaxPolicyMapEntries} " +
                    $"(Cilium's bpf-policy-map-max): splitting objects does not help"),
                new SettingAdvice("set a prefix budget ({0}), or raise bpf-policy-map-max and {1}",
                    SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule)),
                    SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.MaxPolicyMapEntries))));
        }
    }

    private static SettingAdvice AddressForm { get; } =
        new("use the address form ({0})", SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ByName), false));

    // names: the rules allow host names (toFQDNs), so the policy also denies the special-purpose addresses (CiliumSpecialDestinations).
    private YamlNode Policy(KubernetesPolicyPlan.PolicyRule policy, string name, YamlNode[] rules, string? description = null, bool names = false)
    {
        string section = (policy.Rule.Direction, policy.Rule.Action) switch
        {
            (Direction.Egress, RuleAction.Allow) => "egress",
            (Direction.Egress, _) => "egressDeny",
            (_, RuleAction.Allow) => "ingress",
            _ => "ingressDeny",
        };
        return Frame(name, description ?? policy.Rule.Description, policy.Selector, (section, YamlNode.List(rules)), names: names && section == "egress");
    }

    private static YamlNode CidrRule(FirewallRule rule, PrefixSet prefixes) => YamlNode.Map(
        (rule.Direction == Direction.Egress ? "toCIDRSet" : "fromCIDRSet", YamlNode.Prefixes(prefixes, "cidr")),
        ("toPorts", Ports(rule.Port)));

    // The names Datadog documents for an egress rule's sections (AllowListHosts.DocumentedNames): a section without any is left out, as
    // every by-name output leaves it, and the format's warning says so (KubernetesFormats.LeftOutByName); null when no section has one, and the rule gets no
    // policy. A deny rule is refused instead: leaving a section out of it would let that section through.
    private static YamlNode? HostNames(FirewallRule rule, Site? site, List<string> leftOut)
    {
        if (site is null || site.IsCustom)
        {
            throw new RuleGenerationException(
                $"the {rule.Name} rule: host names are known for Datadog's sites only, and these ranges come from " +
                $"{(site is null ? "no named site" : site.ToString())}", AddressForm);
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string section in rule.Sources)
        {
            IReadOnlyList<string> documented = AllowListHosts.DocumentedNames(rule, section, site.Domain, leftOut);
            names.UnionWith(documented);
            if (documented.Count == 0 && rule.Action != RuleAction.Allow)
            {
                throw new RuleGenerationException(
                    $"Datadog documents no host name for section '{section}' on {rule.Port}, which a deny by name would leave open: leave the section out, or", AddressForm);
            }
        }

        return names.Count == 0 ? null : NameList(names);
    }

    // Whether an egress rule is rendered by name: every one with --by-name, but for an agent's plan not the addresses given
    // for one of its features (--open proxy=ADDRESS), which name no host.
    private bool ByNameRule(FirewallRule rule, AllowListHosts.Entry[]? planned) =>
        _options.ByName && rule.Direction == Direction.Egress && (planned is null || rule.Action != RuleAction.Allow || !rule.Sources.All(IsFeature));

    private static bool IsAgentOnly(FirewallRule rule, RuleSet rules) => rules.Named is not null && rule.Action == RuleAction.Allow && rule.Sources.All(IsFeature);

    private static bool IsFeature(string source) => source.StartsWith("agent:", StringComparison.Ordinal);

    // The plan's hosts on a section rule's port; a rule that also holds addresses given for a feature cannot be both.
    private static YamlNode PlannedNames(FirewallRule rule, AllowListHosts.Entry[] planned)
    {
        if (rule.Sources.FirstOrDefault(IsFeature) is string feature)
        {
            throw new RuleGenerationException(
                $"the {rule.Name} rule holds Datadog's sections and the addresses given for {feature}: toFQDNs cannot hold addresses",
                new SettingAdvice("leave the feature to the format's own policy ({0}) rather than its addresses, or use the address form ({1})",
                    SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ClusterDestinations)),
                    SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ByName), false)));
        }

        return NameList(planned.Where(e => !e.AnyAddress && e.Port == rule.Port).Select(e => e.Name));
    }

    // The plan's hosts on ports no section rule has (a relay on 8443/tcp, by name or by address; hosts published by name only): a policy per port.
    private IEnumerable<YamlNode> NameOnlyPorts(KubernetesPolicyPlan plan, AllowListHosts.Entry[]? planned, AllowListHosts.AddressRelay[] relays)
    {
        if (planned is null)
        {
            yield break;
        }

        PortRange[] covered = [.. plan.Policies.Where(p => ByNameRule(p.Rule, planned)).Select(p => p.Rule.Port)];
        AllowListHosts.Entry[] names = [.. planned.Where(e => !e.AnyAddress)];
        foreach (PortRange port in names.Select(e => e.Port).Concat(relays.Select(r => r.Port)).Distinct().Where(p => !covered.Contains(p)).Order())
        {
            // A port an address rule (--open) already names its policy after gets a policy of its own for the names.
            string name = FirewallRule.NameOf(Direction.Egress, port);
            bool taken = plan.Policies.Any(p => p.Rule.Direction == Direction.Egress && p.Rule.Port == port);
            AllowListHosts.Entry[] onPort = [.. names.Where(e => e.Port == port)];
            AllowListHosts.AddressRelay[] relaysOnPort = [.. relays.Where(r => r.Port == port)];
            var rules = new List<YamlNode>();
            if (onPort.Length > 0)
            {
                rules.Add(YamlNode.Map(("toFQDNs", NameList(onPort.Select(e => e.Name))), ("toPorts", Ports(port))));
            }

            rules.AddRange(RelayRules(port, relaysOnPort));
            yield return Frame(KubernetesObjects.CheckName($"{_options.Name}-{name}{(taken ? "-by-name" : string.Empty)}"), ByNameDescription(port, onPort, relaysOnPort),
                _options.PodSelector ?? KubernetesPolicyOptions.AgentPodSelector, ("egress", YamlNode.List(rules)), names: onPort.Length > 0);
        }
    }

    // The relays the agent was given by address on a port: one toCIDRSet rule of their /32 (/128), none when there is none.
    private static IEnumerable<YamlNode> RelayRules(PortRange port, AllowListHosts.AddressRelay[] relays) => relays.Length == 0 ? [] :
        [YamlNode.Map(("toCIDRSet", YamlNode.Prefixes(PrefixSet.Create(relays.Select(r => new System.Net.IPNetwork(r.Address, r.Address.GetAddressBytes().Length * 8))), "cidr")),
            ("toPorts", Ports(port)))];

    private static string ByNameDescription(PortRange port, IEnumerable<AllowListHosts.Entry> entries, IEnumerable<AllowListHosts.AddressRelay> relays)
    {
        string[] named = [.. entries.Select(e => e.Section).Distinct().Order(StringComparer.Ordinal)];
        string[] byAddress = [.. relays.Select(r => r.Section).Distinct().Order(StringComparer.Ordinal)];
        return string.Join(", ", new[]
        {
            named.Length == 0 ? null : $"allow egress to {port} by name for {string.Join(", ", named)}",
            byAddress.Length == 0 ? null
                : $"{(named.Length == 0 ? $"allow egress to {port}" : "and")} by address for {string.Join(", ", byAddress)} (a relay given by its address)",
        }.OfType<string>());
    }

    // The Cluster Agent's own hosts (its external metrics provider's api.<site>), by a policy selecting its pods, and DNS through Cilium's
    // proxy for them, which toFQDNs needs. Neither puts its pods in default deny (enableDefaultDeny, Cilium 1.15): the plan does not hold
    // all the Cluster Agent reaches (the API server, its own intake), so these add what it needs to whatever else restricts it.
    private IEnumerable<YamlNode> ClusterAgentPolicies(AllowListHosts.Entry[] names, AllowListHosts.AddressRelay[] relays)
    {
        if (names.Length == 0 && relays.Length == 0)
        {
            yield break;
        }

        foreach (PortRange port in names.Select(e => e.Port).Concat(relays.Select(r => r.Port)).Distinct().Order())
        {
            AllowListHosts.Entry[] onPort = [.. names.Where(e => e.Port == port)];
            AllowListHosts.AddressRelay[] relaysOnPort = [.. relays.Where(r => r.Port == port)];
            YamlNode[] rules = [.. onPort.Length == 0 ? Array.Empty<YamlNode>() : [YamlNode.Map(("toFQDNs", NameList(onPort.Select(e => e.Name))), ("toPorts", Ports(port)))],
                .. RelayRules(port, relaysOnPort)];
            yield return Frame(KubernetesObjects.CheckName($"{_options.Name}-cluster-agent-{FirewallRule.NameOf(Direction.Egress, port)}"),
                $"the Cluster Agent's pods: {ByNameDescription(port, onPort, relaysOnPort)}", ClusterPeers.ClusterAgentSelector, ("egress", YamlNode.List(rules)), addOnly: true,
                names: onPort.Length > 0);
        }

        yield return Frame(KubernetesObjects.CheckName($"{_options.Name}-cluster-agent-egress-dns"), "the Cluster Agent's pods: allow DNS to kube-dns through " +
            "Cilium's DNS proxy, which toFQDNs needs", ClusterPeers.ClusterAgentSelector, ("egress", YamlNode.List([DnsRule()])), addOnly: true);
    }

    private static YamlNode NameList(IEnumerable<string> names) => YamlNode.List(names.Distinct().Order(StringComparer.Ordinal)
        .Select(name => YamlNode.Map((name.Contains('*', StringComparison.Ordinal) ? "matchPattern" : "matchName", YamlNode.Text(name)))));

    private static YamlNode Ports(PortRange port) => Ports([port]);

    private static YamlNode Ports(IEnumerable<PortRange> ports) => YamlNode.List([YamlNode.Map(("ports", YamlNode.List([.. ports.Select(port => YamlNode.Map(
        ("port", YamlNode.Text(port.First.ToString(CultureInfo.InvariantCulture))),
        ("endPort", port.IsSinglePort ? null : YamlNode.Number(port.Last)),
        ("protocol", YamlNode.Text(port.Protocol == TransportProtocol.Tcp ? "TCP" : "UDP"))))])))]);

    // Cilium's entities name what the cluster knows: the API server wherever it runs, the nodes (the kubelet), the world outside.
    private static string[] Entities(ClusterDestination destination) => destination switch
    {
        ClusterDestination.Kubelet => ["host", "remote-node"],
        ClusterDestination.ApiServer => ["kube-apiserver"],
        ClusterDestination.ClusterAgent => [],
        _ => ["world"],
    };

    // The Cluster Agent runs in pods: toEndpoints selects them by label (in the policy's namespace unless cluster-wide).
    private YamlNode Cluster(ClusterDestination destination)
    {
        YamlNode peers = destination == ClusterDestination.ClusterAgent
            ? YamlNode.List([KubernetesObjects.MatchLabels(ClusterPeers.ClusterAgentSelector.ToDictionary(l => $"k8s:{l.Key}", l => l.Value))])
            : YamlNode.List(Entities(destination));
        YamlNode rule = YamlNode.Map(
            (destination == ClusterDestination.ClusterAgent ? "toEndpoints" : "toEntities", peers), ("toPorts", Ports(ClusterPeers.Ports(destination, _options))));
        return Frame(ClusterPeers.ObjectName(_options, destination), $"allow {ClusterPeers.Feature(destination)}, which the Agent's features need",
            _options.PodSelector ?? KubernetesPolicyOptions.AgentPodSelector, ("egress", YamlNode.List([rule])));
    }

    private YamlNode Dns()
    {
        string description = _options.ByName ? "allow DNS to kube-dns through Cilium's DNS proxy, which toFQDNs needs" : "allow DNS to kube-dns";
        return Frame(
            KubernetesObjects.CheckName($"{_options.Name}-egress-dns"), description, _options.PodSelector ?? KubernetesPolicyOptions.AgentPodSelector,
            ("egress", YamlNode.List([DnsRule()])));
    }

    private YamlNode DnsRule()
    {
        YamlNode ports = YamlNode.Map(
            ("ports", YamlNode.List([YamlNode.Map(("port", YamlNode.Text("53")), ("protocol", YamlNode.Text("ANY")))])),
            ("rules", _options.ByName ? YamlNode.Map(("dns", YamlNode.List([YamlNode.Map(("matchPattern", YamlNode.Text("*")))]))) : null));
        YamlNode rule = YamlNode.Map(
            ("toEndpoints", YamlNode.List([KubernetesObjects.MatchLabels(new Dictionary<string, string>
            {
                ["k8s:io.kubernetes.pod.namespace"] = "kube-system",
                ["k8s:k8s-app"] = "kube-dns",
            })])),
            ("toPorts", YamlNode.List([ports])));
        return rule;
    }

    // addOnly: the policy adds what it allows without putting its pods in default deny for egress (enableDefaultDeny); names: its egress
    // allows host names, so it also denies every special-purpose address, whatever a name resolves to (CiliumSpecialDestinations).
    private YamlNode Frame(string name, string description, IReadOnlyDictionary<string, string> selector, (string Key, YamlNode Value) rules, bool addOnly = false,
        bool names = false) => YamlNode.Map(
        ("apiVersion", YamlNode.Text("cilium.io/v2")),
        ("kind", YamlNode.Text(Kind)),
        ("metadata", KubernetesObjects.Metadata(name, _options.ClusterWide ? null : _options.Namespace, _options.Name)),
        ("spec", YamlNode.Map(
            ("description", _options.Comments ? YamlNode.Text(description) : null),
            ("endpointSelector", KubernetesObjects.MatchLabels(selector)),
            ("enableDefaultDeny", addOnly ? YamlNode.Map(("egress", YamlNode.Bool(false))) : null),
            (rules.Key, rules.Value),
            ("egressDeny", names ? _specialDeny : null))));
}
