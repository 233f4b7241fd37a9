using FirewallRules.Advice;
using FirewallRules.Emitters.AllowList;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>The Kubernetes policy formats as the registry describes them: the namespace, pods, scope and sizes they take.</summary>
internal static class KubernetesFormats
{
    private static readonly KubernetesPolicyOptions Defaults = new();

    private static FormatSetting Namespace { get; } = FormatSetting.Text(
        SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.Namespace)), "--namespace", "NAMESPACE",
        value => _ = new KubernetesPolicyOptions { Namespace = value },
        "kubernetes, cilium, calico: the policies' namespace.") with { Default = Defaults.Namespace };

    private static FormatSetting PodSelector { get; } = FormatSetting.Labels(
        SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.PodSelector)), "--pod-selector", value => _ = new KubernetesPolicyOptions { PodSelector = value },
        "kubernetes, cilium, calico: select pods with this label (repeatable). Default for egress and --agent: agent.datadoghq.com/component=agent, " +
        "the Datadog Agent's pods (Helm chart and Operator).");

    private static FormatSetting ClusterWide { get; } = FormatSetting.Switch(
        SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ClusterWide)), "--cluster-wide",
        "cilium, calico: cluster-wide policies (CiliumClusterwideNetworkPolicy, Calico GlobalNetworkPolicy).");

    private static FormatSetting ByName { get; } = FormatSetting.Switch(
        SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ByName)), "--by-name",
        "cilium: allow the site's intake host names (toFQDNs) instead of its ranges.");

    private static FormatSetting NoDns { get; } = FormatSetting.Switch(
        SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.AllowDns), false), "--no-dns",
        "kubernetes, cilium, calico: leave out the policy allowing DNS to kube-dns.");

    private static FormatSetting ClusterDestinations { get; } = FormatSetting.Names(
        SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ClusterDestinations)), "--in-cluster", "NAME", names => _ = Destinations(names),
        "kubernetes, cilium, calico: also allow egress to kubelet, kube-apiserver, ntp or cluster-agent (repeatable), each in the format's narrowest terms; " +
        "--helm-values sets those the chart's features need.");

    private static FormatSetting MaxObjectBytes { get; } = FormatSetting.Number(
        SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.MaxObjectBytes)), "--max-object-bytes", 4096, KubernetesPolicyOptions.MaxObjectBytesLimit,
        Defaults.MaxObjectBytes, $"kubernetes, cilium, calico: split objects larger than N bytes (at most {KubernetesPolicyOptions.MaxObjectBytesLimit}).");

    private static FormatSetting MaxPolicyMapEntries { get; } = FormatSetting.Number(
        SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.MaxPolicyMapEntries)), "--max-policy-map-entries", 1, int.MaxValue,
        Defaults.MaxPolicyMapEntries, "cilium: the entries the selected pods' policy map holds (Cilium's bpf-policy-map-max).");

    private static FormatSetting KubeletPort { get; } = FormatSetting.Number(
        SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.KubeletPort)), "--kubelet-port", 1, 65_535, Defaults.KubeletPort,
        "kubernetes, cilium, calico: the port the kubelet's policy allows (an agent's configuration gives its own).");

    /// <summary>Adds <c>kubernetes</c>, <c>cilium</c> and <c>calico</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(
            o => new KubernetesNetworkPolicyEmitter(KubernetesPolicyOptions.From(o)),
            format => Describe(format, [Namespace, PodSelector, NoDns, ClusterDestinations, KubeletPort, MaxObjectBytes], kubeletByPortAlone: true, apiServerByPortAlone: true))
        .WithBuiltIn(o => new CiliumNetworkPolicyEmitter(KubernetesPolicyOptions.From(o)), format => Describe(format, [.. Every]) with
        {
            // --by-name leaves out a section without a documented host name, as every by-name output does, and says so.
            Warning = arguments => LeftOutByName(arguments.Options, arguments.Rendered),
        })
        .WithBuiltIn(
            o => new CalicoPolicyEmitter(KubernetesPolicyOptions.From(o)),
            format => Describe(format, [Namespace, PodSelector, ClusterWide, NoDns, ClusterDestinations, KubeletPort, MaxObjectBytes], kubeletByPortAlone: true));

    private static IEnumerable<FormatSetting> Every => [Namespace, PodSelector, ClusterWide, ByName, NoDns, ClusterDestinations, KubeletPort, MaxObjectBytes, MaxPolicyMapEntries];

    private static ClusterDestination[] Destinations(IEnumerable<string> names) => [.. names.Select(name => ClusterPeers.FromFeature(name)
        ?? throw new ArgumentException($"'{name}' is not an in-cluster destination: use {string.Join(", ", ClusterPeers.FeatureNames)}", nameof(names)))];

    // kubeletByPortAlone: the format allows the kubelet by its port alone, to every address (NetworkPolicy and Calico cannot select nodes;
    // Cilium's host and remote-node entities can); apiServerByPortAlone, the API server (a NetworkPolicy; Calico selects its service).
    private static FormatDescription Describe(FormatDescription format, FormatSetting[] settings, bool kubeletByPortAlone = false, bool apiServerByPortAlone = false)
        => format with
    {
        Settings = settings,
        AgentPlan = new(arguments => AgentTerms(arguments, settings.Contains(ByName), (kubeletByPortAlone, apiServerByPortAlone)), AddAgentChoices),
        Configure = arguments => new KubernetesPolicyOptions(arguments.Shared)
        {
            Namespace = arguments.Given.Text(Namespace) ?? Defaults.Namespace,
            PodSelector = arguments.Given.Labels(PodSelector),
            ClusterWide = arguments.Given.Switch(ClusterWide),
            ByName = arguments.Given.Switch(ByName),
            AllowDns = Defaults.AllowDns && !arguments.Given.Switch(NoDns),
            ClusterDestinations = Destinations(arguments.Given.Names(ClusterDestinations) ?? []),
            KubeletPort = arguments.Given.Number(KubeletPort) ?? Defaults.KubeletPort,
            MaxObjectBytes = arguments.Given.Number(MaxObjectBytes) ?? Defaults.MaxObjectBytes,
            MaxPolicyMapEntries = arguments.Given.Number(MaxPolicyMapEntries) ?? Defaults.MaxPolicyMapEntries,
        },
    };

    // How a Kubernetes format renders an agent's plan beyond addresses, from its options: the in-cluster destinations in its own terms, on
    // their ports (the kubelet's from the options), the plan's hosts by name with --by-name, DNS by a policy of its own, the Agent's pods by
    // the component label unless a pod selector is given; the kubelet's port moves to the plan's unless it was given, and where the format allows
    // it by port alone, only to the kubelet's own ports: another would open a port the configuration chooses to every address. An API server
    // allowed by port alone (443/tcp to every address, where Datadog's hosts are) is allowed only when asked for (--in-cluster).
    private static AgentFormatTerms AgentTerms(AgentTermsArguments arguments, bool byNameOption, (bool Kubelet, bool ApiServer) byPortAlone)
    {
        KubernetesPolicyOptions options = KubernetesPolicyOptions.From(arguments.Options);
        bool kubeletGiven = arguments.Given is { } given ? given.Number(KubeletPort) is not null : options.KubeletPort != Defaults.KubeletPort;
        bool namespaceGiven = arguments.Given is { } named ? named.Text(Namespace) is not null : options.Namespace != Defaults.Namespace;
        string kubelet = ClusterPeers.Feature(ClusterDestination.Kubelet);
        string[] onRequest = byPortAlone.ApiServer && !options.ClusterDestinations.Contains(ClusterDestination.ApiServer)
            ? [ClusterPeers.Feature(ClusterDestination.ApiServer)]
            : [];
        return new(ClusterPeers.FeatureNames.Except(onRequest).ToDictionary(name => name, name => ClusterPeers.Ports(ClusterPeers.FromFeature(name)!.Value, options)),
            options.ByName, options.AllowDns, byNameOption ? ByName.Name : null, options.PodSelector is null ? PodSelector.Name : null)
        {
            Moves = kubeletGiven ? [] : [kubelet],
            PortGiven = kubeletGiven ? [kubelet] : [],
            TakesNamespace = !namespaceGiven,
            MoveLimits = byPortAlone.Kubelet
                ? new Dictionary<string, PortMoveLimit> { [kubelet] = new([Defaults.KubeletPort, ClusterPeers.KubeletReadOnlyPort], KubeletPort.Name) }
                : new Dictionary<string, PortMoveLimit>(),
            OnRequest = onRequest.ToDictionary(name => name, _ => ClusterDestinations.Name),
        };
    }

    // The options with the in-cluster destinations the plan leaves to the format added to those given, the kubelet's port the plan needs, and the
    // namespace its deployment names when none was given.
    private static KubernetesPolicyOptions AddAgentChoices(AgentChoiceArguments arguments)
    {
        KubernetesPolicyOptions options = KubernetesPolicyOptions.From(arguments.Options);
        return new KubernetesPolicyOptions(options)
        {
            Namespace = arguments.Namespace ?? options.Namespace,
            PodSelector = options.PodSelector,
            ClusterWide = options.ClusterWide,
            ByName = options.ByName,
            AllowDns = options.AllowDns,
            ClusterDestinations = ClusterPeers.Ordered([.. options.ClusterDestinations, .. Destinations(arguments.InCluster)]),
            KubeletPort = arguments.Ports.TryGetValue(ClusterPeers.Feature(ClusterDestination.Kubelet), out int port) ? port : options.KubeletPort,
            MaxObjectBytes = options.MaxObjectBytes,
            MaxPolicyMapEntries = options.MaxPolicyMapEntries,
        };
    }

    /// <summary>
    /// The format's warning with <see cref="KubernetesPolicyOptions.ByName"/>: for rules from a document, the sections of its egress allow
    /// rules Datadog documents no host name for, which the cilium policies leave out (<see cref="AllowListHosts.DocumentedNames"/>); none for
    /// an agent's plan, whose hosts are all allowed (a relay given by its address by toCIDRSet).
    /// </summary>
    private static SettingAdvice? LeftOutByName(EmitterOptions options, RuleSet rules)
    {
        if (options is not KubernetesPolicyOptions { ByName: true } || rules.Named is not null || rules.Provenance.Site is not { IsCustom: false } site)
        {
            return null;
        }

        var leftOut = new List<string>();
        foreach (FirewallRule rule in rules.Rules.Where(r => r.Direction == Direction.Egress && r.Action == RuleAction.Allow))
        {
            rule.Sources.ToList().ForEach(section => AllowListHosts.DocumentedNames(rule, section, site.Domain, leftOut));
        }

        return AllowListHosts.Advice(leftOut);
    }
}
