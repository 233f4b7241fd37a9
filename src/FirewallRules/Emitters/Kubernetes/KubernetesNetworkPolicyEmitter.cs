using FirewallRules.Rules;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// Format <c>kubernetes</c>: <c>networking.k8s.io/v1</c> NetworkPolicies, a YAML stream of one policy per rule (split
/// when a list would make an object too large), each allowing its port to or from one <c>ipBlock</c> per prefix, and for
/// egress a policy allowing DNS to the cluster's DNS pods.
/// </summary>
/// <remarks>
/// <para>Egress and listener rules select the Datadog Agent's pods by default
/// (<see cref="KubernetesPolicyOptions.AgentPodSelector"/>); ingress rules for what Datadog connects to select the pods
/// named by <see cref="KubernetesPolicyOptions.PodSelector"/>. NetworkPolicies can only allow: a deny rule is refused.</para>
/// <para>Apply with <c>kubectl apply -f FILE</c>. No Kubernetes API server checked this output: it is validated against
/// the published networking.k8s.io/v1 OpenAPI schema in the tests.</para>
/// </remarks>
public sealed class KubernetesNetworkPolicyEmitter : IRuleEmitter, IWrittenCounts
{
    private readonly KubernetesPolicyOptions _options;
    private KubernetesPolicyPlan.WrittenPolicies? _written;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="KubernetesPolicyOptions"/> defaults when null.</param>
    public KubernetesNetworkPolicyEmitter(KubernetesPolicyOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "kubernetes";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "Kubernetes NetworkPolicies (YAML): ipBlocks per rule, DNS to kube-dns, for the Agent's pods";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">A deny rule, an ingress rule without a pod selector, or an object that cannot fit.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        KubernetesPolicyPlan plan = KubernetesPolicyPlan.Create(rules, _options, Format, denies: false);
        var documents = new List<YamlNode>();
        foreach (KubernetesPolicyPlan.PolicyRule policy in plan.Policies)
        {
            List<PrefixSet> parts = KubernetesObjects.Split(
                policy.Prefixes, chunk => Policy(policy, KubernetesObjects.LongestPartName(policy.Name, policy.Prefixes.Count), chunk), _options.MaxObjectBytes,
                policy.Name);
            documents.AddRange(parts.Select((part, i) => Policy(policy, KubernetesObjects.PartName(policy.Name, i, parts.Count), part)));
        }

        documents.AddRange(plan.ClusterDestinations.Select(Cluster));
        if (plan.HasEgress && _options.AllowDns)
        {
            documents.Add(Dns());
        }

        string[] header =
        [
            "Datadog IP ranges as Kubernetes NetworkPolicies (fwrules format kubernetes).",
            .. plan.Rules.Describe(),
            .. plan.Notes,
            .. ClusterPeers.Notes(
                plan.ClusterDestinations,
                "a NetworkPolicy cannot select nodes, the API server or NTP servers, so each allows its ports to any destination (no 'to').",
                _options),
            "Apply with: kubectl apply -f FILE. To also remove policies an earlier run made and this one does not (a list that shrank): " +
            $"kubectl apply -f FILE --prune -l {KubernetesObjects.PartOfLabel}={_options.Name} --prune-allowlist=networking.k8s.io/v1/NetworkPolicy",
        ];
        KubernetesObjects.Write(output, _options.Comments, header, documents);
        _written = new(plan.Rules, documents.Count, plan.Others(plan.ClusterDestinations, _options.AllowDns));
    }

    private YamlNode Policy(KubernetesPolicyPlan.PolicyRule policy, string name, PrefixSet prefixes)
    {
        bool egress = policy.Rule.Direction == Direction.Egress;
        YamlNode peers = YamlNode.Prefixes(prefixes, "ipBlock", "cidr");
        YamlNode rule = YamlNode.Map((egress ? "to" : "from", peers), ("ports", YamlNode.List([Port(policy.Rule.Port)])));
        return Frame(name, policy.Selector, egress, rule);
    }

    // Ports alone, no "to": any destination on them, the narrowest a NetworkPolicy can say for addresses outside the pods.
    // The Cluster Agent runs in pods: "to" selects them by label, in the policy's namespace.
    private YamlNode Cluster(ClusterDestination destination) => Frame(ClusterPeers.ObjectName(_options, destination),
        _options.PodSelector ?? KubernetesPolicyOptions.AgentPodSelector, egress: true, YamlNode.Map(
            ("to", destination == ClusterDestination.ClusterAgent
                ? YamlNode.List([YamlNode.Map(("podSelector", KubernetesObjects.MatchLabels(ClusterPeers.ClusterAgentSelector)))])
                : null),
            ("ports", YamlNode.List([.. ClusterPeers.Ports(destination, _options).Select(Port)]))));

    private YamlNode Dns()
    {
        YamlNode peer = YamlNode.Map(
            ("namespaceSelector", KubernetesObjects.MatchLabels(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" })),
            ("podSelector", KubernetesObjects.MatchLabels(new Dictionary<string, string> { ["k8s-app"] = "kube-dns" })));
        YamlNode rule = YamlNode.Map(
            ("to", YamlNode.List([peer])),
            ("ports", YamlNode.List([Port(new PortRange(TransportProtocol.Udp, 53)), Port(new PortRange(TransportProtocol.Tcp, 53))])));
        return Frame(KubernetesObjects.CheckName($"{_options.Name}-egress-dns"), _options.PodSelector ?? KubernetesPolicyOptions.AgentPodSelector, egress: true, rule);
    }

    private YamlNode Frame(string name, IReadOnlyDictionary<string, string> selector, bool egress, YamlNode rule) => YamlNode.Map(
        ("apiVersion", YamlNode.Text("networking.k8s.io/v1")),
        ("kind", YamlNode.Text("NetworkPolicy")),
        ("metadata", KubernetesObjects.Metadata(name, _options.Namespace, _options.Name)),
        ("spec", YamlNode.Map(
            ("podSelector", KubernetesObjects.MatchLabels(selector)),
            ("policyTypes", YamlNode.List(egress ? "Egress" : "Ingress")),
            (egress ? "egress" : "ingress", YamlNode.List([rule])))));

    private static YamlNode Port(PortRange port) => YamlNode.Map(
        ("protocol", YamlNode.Text(port.Protocol == TransportProtocol.Tcp ? "TCP" : "UDP")),
        ("port", YamlNode.Number(port.First)),
        ("endPort", port.IsSinglePort ? null : YamlNode.Number(port.Last)));

    /// <inheritdoc/>
    /// <remarks>After <see cref="Write"/> of these rules, the policies it wrote too.</remarks>
    WrittenCounts IWrittenCounts.Written(RuleSet rules) => KubernetesPolicyPlan.Written(rules, _ => false, 0, ReferenceEquals(_written?.Rules, rules) ? _written : null);
}
