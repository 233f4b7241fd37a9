using FirewallRules.Advice;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// How a rule set becomes Kubernetes policies, decided once for the three formats: which pods each rule selects,
/// which prefixes it keeps, the objects' names, and what the header must say. The formats only differ in how they
/// write a policy.
/// </summary>
/// <remarks>
/// Traffic inside a pod never meets a network policy, so listener rules (<see cref="FirewallRule.ClosesPort"/>) lose
/// their loopback prefixes: what is left are the networks a port was opened to. A policy selecting a pod for a
/// direction denies that pod everything no policy allows in that direction, so every rule closes its port here.
/// </remarks>
internal sealed class KubernetesPolicyPlan
{
    private readonly bool _namedEgress;

    private KubernetesPolicyPlan(RuleSet rules, IReadOnlyList<PolicyRule> policies, IReadOnlyList<string> notes, IReadOnlyList<ClusterDestination> cluster, bool namedEgress)
    {
        _namedEgress = namedEgress;
        Rules = rules;
        ClusterDestinations = cluster;
        Policies = policies;
        Notes = notes;
    }

    /// <summary>The rules as rendered (prepared by the render step).</summary>
    public RuleSet Rules { get; }

    /// <summary>One policy per rule, egress first.</summary>
    public IReadOnlyList<PolicyRule> Policies { get; }

    /// <summary>What the header says about the policies' effect beyond the rules themselves.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The in-cluster destinations to allow, each by a policy of its own (<see cref="KubernetesPolicyOptions.ClusterDestinations"/>).</summary>
    public IReadOnlyList<ClusterDestination> ClusterDestinations { get; }

    /// <summary>Whether there are egress policies (which need DNS): of the rules, the cluster's destinations, or hosts the format allows by name.</summary>
    public bool HasEgress => _namedEgress || Policies.Any(p => p.Rule.Direction == Direction.Egress) || ClusterDestinations.Count > 0;

    /// <summary>Plans <paramref name="rules"/>.</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">The options.</param>
    /// <param name="format">The format's name, for messages.</param>
    /// <param name="denies">Whether the format can deny (Cilium, Calico) or only allow (Kubernetes NetworkPolicy).</param>
    /// <param name="namedEgress">Whether the format allows egress to host names of its own beside the rules (Cilium's <c>--by-name</c> with an agent's plan).</param>
    /// <exception cref="RuleGenerationException">
    /// A deny rule the format cannot express, an ingress rule from Datadog without a pod selector, nothing to render (listener
    /// rules left with no network to allow, and no egress at all), or a name Kubernetes refuses.
    /// </exception>
    public static KubernetesPolicyPlan Create(PreparedRules rules, KubernetesPolicyOptions options, string format, bool denies, bool namedEgress = false)
    {
        RuleSet prepared = rules.Rules;
        var policies = new List<PolicyRule>();
        var notes = new List<string>();
        foreach (FirewallRule rule in prepared.Rules)
        {
            if (rule.Action == RuleAction.Deny && !denies)
            {
                throw new RuleGenerationException(
                    $"the {rule.Name} rule denies, and Kubernetes NetworkPolicies can only allow: render it as cilium or calico");
            }

            PrefixSet prefixes = rule.ClosesPort ? rule.Prefixes.Except(LocalListenerRules.Loopback) : rule.Prefixes;
            if (prefixes.IsEmpty)
            {
                notes.Add($"{rule.Port} ({string.Join(", ", rule.Sources)}) is reachable from inside its pod only: no network was opened to it.");
                continue;
            }

            policies.Add(new PolicyRule(rule, prefixes, Selector(rule, options), KubernetesObjects.CheckName($"{options.Name}-{rule.Name}")));
        }

        // Listeners reachable from loopback only need no policy; with nothing else to allow, there is nothing to render.
        if (policies.Count == 0 && !namedEgress && options.ClusterDestinations.Count == 0)
        {
            throw new RuleGenerationException(
                $"{string.Join(", ", prepared.Provenance.Sections)}: traffic inside a pod never meets a {format} policy, so listeners reachable from loopback only need no rule",
                new SettingAdvice("open a listener to the pods' networks ({0}) to render one", SettingNames.Of<LocalListenerOptions>(nameof(LocalListenerOptions.OpenTo))));
        }

        notes.InsertRange(0, Effects(policies, options, namedEgress));
        return new KubernetesPolicyPlan(prepared, policies, notes, options.ClusterDestinations, namedEgress);
    }

    /// <summary>
    /// What a policy format writes for <paramref name="rules"/>: a policy per rule left with prefixes once loopback is taken
    /// from listener rules (as <see cref="Create"/> keeps them), but not those <paramref name="byName"/> renders by name.
    /// </summary>
    /// <param name="rules">The rules.</param>
    /// <param name="byName">Whether a rule is written as host names (Cilium's <c>--by-name</c>).</param>
    /// <param name="hostNames">The host names written.</param>
    /// <param name="policies">The policies the last <c>Write</c> wrote for these rules; null when unknown.</param>
    /// <param name="named">What the host names are for (sections or the agent's features), beside the rules written by address.</param>
    internal static WrittenCounts Written(RuleSet rules, Func<FirewallRule, bool> byName, int hostNames, WrittenPolicies? policies = null,
        IEnumerable<string>? named = null)
    {
        (FirewallRule Rule, PrefixSet Prefixes)[] written = [.. rules.Rules.Where(rule => !byName(rule))
            .Select(rule => (rule, rule.ClosesPort ? rule.Prefixes.Except(LocalListenerRules.Loopback) : rule.Prefixes)).Where(w => !w.Item2.IsEmpty)];
        PrefixSet all = written.Aggregate(PrefixSet.Empty, (union, w) => union.Union(w.Prefixes));
        return new WrittenCounts(written.Length, all.IPv4.Count, all.IPv6.Count, hostNames, policies?.Count, policies?.Others)
        {
            Features = [.. written.SelectMany(w => w.Rule.Sources).Concat(named ?? []).Distinct(StringComparer.Ordinal)],
        };
    }

    /// <summary>What an egress output allows beside its rules, as its summary names them: the in-cluster destinations, then DNS.</summary>
    internal IReadOnlyList<string> Others(IEnumerable<ClusterDestination> cluster, bool dns) =>
        [.. cluster.Select(ClusterPeers.Feature), .. HasEgress && dns ? ["dns"] : Array.Empty<string>()];

    /// <summary>The policy objects one <c>Write</c> wrote, and what those beside the rules allow (<see cref="Others"/>).</summary>
    /// <param name="Rules">The rules they were written for.</param>
    /// <param name="Count">The policy objects.</param>
    /// <param name="Others">What the policies beside the rules allow.</param>
    internal sealed record WrittenPolicies(RuleSet Rules, int Count, IReadOnlyList<string> Others);

    private static IReadOnlyDictionary<string, string> Selector(FirewallRule rule, KubernetesPolicyOptions options) =>
        options.PodSelector ?? (rule.Direction == Direction.Egress || rule.ClosesPort
            ? KubernetesPolicyOptions.AgentPodSelector
            : throw new RuleGenerationException(
                $"the {rule.Name} rule lets {string.Join(", ", rule.Sources)} reach your own services, not the Agent",
                new SettingAdvice("select their pods ({0})", SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.PodSelector)))));

    private static List<string> Effects(List<PolicyRule> policies, KubernetesPolicyOptions options, bool namedEgress)
    {
        var notes = new List<string>
        {
            "Network policies add up: a pod that any policy selects for a direction may only send (or receive) what one of them allows.",
        };
        if (options.PodSelector is null && (namedEgress || policies.Count > 0 || options.ClusterDestinations.Count > 0))
        {
            // The label came with helm-charts 1b0810c8e (datadog-3.140.0, October 2025): older charts' pods carry none, and nothing is selected.
            notes.Add("The Agent's pods are selected by agent.datadoghq.com/component (agent; cluster-agent for the Cluster Agent), which the Datadog Operator and " +
                "the Helm chart from 3.140.0 put on them: with an older chart no pod carries it and these policies restrict nothing, so upgrade the chart, add the " +
                "label (agents.podLabels, clusterAgent.podLabels), or select the pods by the old chart's label app: FULLNAME (FULLNAME-cluster-agent for the " +
                "Cluster Agent; FULLNAME is the release name, with -datadog added when it lacks datadog, or fullnameOverride).");
        }

        if (namedEgress || policies.Any(p => p.Rule.Direction == Direction.Egress) || options.ClusterDestinations.Count > 0)
        {
            notes.Add(options.ClusterDestinations.Count == 0
                ? "These egress policies deny everything else the selected pods send. " +
                    $"The Agent also talks to the kubelet ({options.KubeletPort}/tcp on its node), the Kubernetes API server and the Cluster Agent (5005/tcp): " +
                    "another policy must allow those."
                : "These egress policies deny everything else the selected pods send." + (Unallowed(options).ToList() is { Count: > 0 } left
                    ? $" The Agent also talks to {string.Join(", ", left)}: another policy must allow those."
                    : string.Empty));
            // Cilium's policies allowing names deny every special-purpose address, which no other policy can reopen (CiliumSpecialDestinations).
            notes.Add(options.ByName
                ? "Nor can another policy allow them the cloud's instance metadata service (169.254.169.254, 80/tcp), which the Agent asks for its host " +
                    "name and cloud tags: the policies allowing names deny it (below), so give the Agent its host name and tags in its configuration. Nor do they " +
                    "allow the pods its Autodiscovery checks query (CoreDNS's metrics on 9153/tcp by default): allow those by another policy where they apply."
                : "Nor do they allow the cloud's instance metadata service (169.254.169.254, 80/tcp), which the Agent asks for its host name and cloud " +
                    "tags, or the pods its Autodiscovery checks query (CoreDNS's metrics on 9153/tcp by default): allow those by another policy where they apply.");
            notes.Add(options.AllowDns
                ? "DNS to the cluster's DNS pods (k8s-app: kube-dns in kube-system, 53/udp and 53/tcp) is allowed by its own policy."
                : "DNS is not allowed here (AllowDns is off): another policy must allow it, or the Agent cannot resolve Datadog's host names.");
        }

        if (policies.Any(p => p.Rule.Direction == Direction.Ingress))
        {
            notes.Add("These ingress policies deny everything else the selected pods receive: other ports they serve need another policy. Traffic inside a pod is never filtered.");
        }

        notes.Add("Policies do not apply to pods on the host network (hostNetwork: true).");
        return notes;
    }

    // What the Agent reaches in the cluster that these policies leave to another. The node agents ask the Cluster Agent what they
    // would otherwise ask the API server: with one of the two allowed, the other is not needed.
    private static IEnumerable<string> Unallowed(KubernetesPolicyOptions options) =>
        new[] { (ClusterDestination.Kubelet, $"the kubelet ({options.KubeletPort}/tcp on its node)"), (ClusterDestination.ApiServer, "the Kubernetes API server") }
            .Append((ClusterDestination.ClusterAgent, "the Cluster Agent (5005/tcp)")).Where(d => !options.ClusterDestinations.Contains(d.Item1))
            .Where(d => d.Item1 switch
            {
                ClusterDestination.ApiServer => !options.ClusterDestinations.Contains(ClusterDestination.ClusterAgent),
                ClusterDestination.ClusterAgent => !options.ClusterDestinations.Contains(ClusterDestination.ApiServer),
                _ => true,
            })
            .Select(d => d.Item2);

    /// <summary>One rule as a policy.</summary>
    /// <param name="Rule">The rule.</param>
    /// <param name="Prefixes">Its prefixes as rendered (loopback removed from listener rules), in address order.</param>
    /// <param name="Selector">The labels of the pods it applies to.</param>
    /// <param name="Name">The object name, before any <c>-2</c> a split adds.</param>
    internal sealed record PolicyRule(FirewallRule Rule, PrefixSet Prefixes, IReadOnlyDictionary<string, string> Selector, string Name);
}
