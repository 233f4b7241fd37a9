using System.Globalization;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// Format <c>calico</c>: <c>projectcalico.org/v3</c> objects: per rule, GlobalNetworkSets holding the prefixes (split when
/// a list would make an object too large), all labelled <c>fwrules/set: {name}</c>, and a NetworkPolicy in
/// <see cref="KubernetesPolicyOptions.Namespace"/> (a GlobalNetworkPolicy with <see cref="KubernetesPolicyOptions.ClusterWide"/>)
/// that allows or denies the rule's port to or from the sets by that label; for egress, a policy allowing DNS to the
/// cluster's DNS pods.
/// </summary>
/// <remarks>
/// The <c>projectcalico.org/v3</c> API is served by Calico's API server: apply with <c>kubectl</c> when it is installed,
/// or with <c>calicoctl apply -f FILE</c>.
/// </remarks>
public sealed class CalicoPolicyEmitter : IRuleEmitter, IWrittenCounts
{
    /// <summary>The label a rule's network sets carry and its policy selects them by.</summary>
    internal const string SetLabel = "fwrules/set";

    private readonly KubernetesPolicyOptions _options;
    private KubernetesPolicyPlan.WrittenPolicies? _written;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="KubernetesPolicyOptions"/> defaults when null.</param>
    public CalicoPolicyEmitter(KubernetesPolicyOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "calico";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "Calico (YAML): GlobalNetworkSets of the prefixes and a policy selecting them by label";

    private string PolicyKind => _options.ClusterWide ? "GlobalNetworkPolicy" : "NetworkPolicy";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">An ingress rule without a pod selector, or an object that cannot fit.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        KubernetesPolicyPlan plan = KubernetesPolicyPlan.Create(rules, _options, Format, denies: true);
        var documents = new List<YamlNode>();
        int sets = 0;
        foreach (KubernetesPolicyPlan.PolicyRule policy in plan.Policies)
        {
            List<PrefixSet> parts = KubernetesObjects.Split(
                policy.Prefixes, chunk => NetworkSet(policy, KubernetesObjects.LongestPartName(policy.Name, policy.Prefixes.Count), chunk), _options.MaxObjectBytes,
                policy.Name);
            documents.AddRange(parts.Select((part, i) => NetworkSet(policy, KubernetesObjects.PartName(policy.Name, i, parts.Count), part)));
            sets += parts.Count;
            documents.Add(Policy(policy));
        }

        documents.AddRange(plan.ClusterDestinations.Select(Cluster));
        if (plan.HasEgress && _options.AllowDns)
        {
            documents.Add(Dns());
        }

        string[] header =
        [
            $"Datadog IP ranges as Calico GlobalNetworkSets and {PolicyKind} objects (fwrules format calico).",
            .. plan.Rules.Describe(),
            .. plan.Notes,
            .. ClusterPeers.Notes(
                plan.ClusterDestinations,
                "the API server as the kubernetes service in default (its endpoints' own ports); " +
                "the kubelet and NTP by port alone, to any destination (nodes are selectable only with host endpoints).",
                _options,
                _options.ClusterWide),
            "Apply with: calicoctl apply -f FILE, or kubectl apply -f FILE where Calico's API server serves projectcalico.org/v3.",
            $"Network sets and policies an earlier run made and this one does not define keep their effect: " +
            $"delete objects labelled {KubernetesObjects.PartOfLabel}={_options.Name} that FILE does not hold.",
        ];
        KubernetesObjects.Write(output, _options.Comments, header, documents);
        _written = new(plan.Rules, documents.Count - sets, plan.Others(plan.ClusterDestinations, _options.AllowDns));
    }

    private YamlNode NetworkSet(KubernetesPolicyPlan.PolicyRule policy, string name, PrefixSet prefixes) => YamlNode.Map(
        ("apiVersion", YamlNode.Text("projectcalico.org/v3")),
        ("kind", YamlNode.Text("GlobalNetworkSet")),
        ("metadata", KubernetesObjects.Metadata(name, null, _options.Name, (SetLabel, policy.Name))),
        ("spec", YamlNode.Map(("nets", YamlNode.Prefixes(prefixes)))));

    private YamlNode Policy(KubernetesPolicyPlan.PolicyRule policy)
    {
        FirewallRule rule = policy.Rule;
        string sets = $"{SetLabel} == '{policy.Name}'";
        string? global = _options.ClusterWide ? null : "global()";
        bool egress = rule.Direction == Direction.Egress;
        YamlNode calicoRule = YamlNode.Map(
            ("action", YamlNode.Text(rule.Action == RuleAction.Allow ? "Allow" : "Deny")),
            ("protocol", YamlNode.Text(Protocol(rule.Port.Protocol))),
            ("source", egress ? null : Peer(sets, global, null)),
            ("destination", egress ? Peer(sets, global, rule.Port) : Peer(null, null, rule.Port)));
        return Frame(policy.Name, policy.Selector, rule.Direction, [calicoRule]);
    }

    private YamlNode Cluster(ClusterDestination destination)
    {
        // Calico matches a service's endpoints on their own ports, and takes no ports beside a service on egress.
        // The Cluster Agent runs in pods: a selector picks them (in the policy's namespace, or every one for a global policy).
        string? pods = destination == ClusterDestination.ClusterAgent
            ? string.Join(" && ", ClusterPeers.ClusterAgentSelector.Select(l => $"{l.Key} == '{l.Value}'"))
            : null;
        YamlNode[] rules = destination == ClusterDestination.ApiServer
            ? [YamlNode.Map(("action", YamlNode.Text("Allow")), ("protocol", YamlNode.Text("TCP")),
                ("destination", YamlNode.Map(("services", YamlNode.Map(("name", YamlNode.Text("kubernetes")), ("namespace", YamlNode.Text("default")))))))]
            : [.. ClusterPeers.Ports(destination, _options).Select(port => YamlNode.Map(
                ("action", YamlNode.Text("Allow")), ("protocol", YamlNode.Text(Protocol(port.Protocol))), ("destination", Peer(pods, null, port))))];
        return Frame(ClusterPeers.ObjectName(_options, destination), _options.PodSelector ?? KubernetesPolicyOptions.AgentPodSelector, Direction.Egress, rules);
    }

    private YamlNode Dns()
    {
        YamlNode Rule(TransportProtocol protocol) => YamlNode.Map(
            ("action", YamlNode.Text("Allow")),
            ("protocol", YamlNode.Text(Protocol(protocol))),
            ("destination", Peer("k8s-app == 'kube-dns'", "projectcalico.org/name == 'kube-system'", new PortRange(protocol, 53))));
        return Frame(KubernetesObjects.CheckName($"{_options.Name}-egress-dns"), _options.PodSelector ?? KubernetesPolicyOptions.AgentPodSelector, Direction.Egress,
            [Rule(TransportProtocol.Udp), Rule(TransportProtocol.Tcp)]);
    }

    private YamlNode Frame(string name, IReadOnlyDictionary<string, string> selector, Direction direction, YamlNode[] rules) => YamlNode.Map(
        ("apiVersion", YamlNode.Text("projectcalico.org/v3")),
        ("kind", YamlNode.Text(PolicyKind)),
        ("metadata", KubernetesObjects.Metadata(name, _options.ClusterWide ? null : _options.Namespace, _options.Name)),
        ("spec", YamlNode.Map(
            ("selector", YamlNode.Text(string.Join(" && ", selector.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} == '{l.Value}'")))),
            ("types", YamlNode.List(direction == Direction.Egress ? "Egress" : "Ingress")),
            (direction == Direction.Egress ? "egress" : "ingress", YamlNode.List(rules)))));

    // A rule's source or destination: the endpoints or sets a selector picks (in the namespaces another picks), and the port.
    private static YamlNode Peer(string? selector, string? namespaceSelector, PortRange? port) => YamlNode.Map(
        ("selector", selector is null ? null : YamlNode.Text(selector)),
        ("namespaceSelector", namespaceSelector is null ? null : YamlNode.Text(namespaceSelector)),
        ("ports", port is PortRange p ? YamlNode.List([Port(p)]) : null));

    private static YamlNode Port(PortRange port) => port.IsSinglePort
        ? YamlNode.Number(port.First)
        : YamlNode.Text(string.Create(CultureInfo.InvariantCulture, $"{port.First}:{port.Last}"));

    private static string Protocol(TransportProtocol protocol) => protocol == TransportProtocol.Tcp ? "TCP" : "UDP";

    /// <inheritdoc/>
    /// <remarks>After <see cref="Write"/> of these rules, the policies it wrote too (not the network sets).</remarks>
    WrittenCounts IWrittenCounts.Written(RuleSet rules) => KubernetesPolicyPlan.Written(rules, _ => false, 0, ReferenceEquals(_written?.Rules, rules) ? _written : null);
}
