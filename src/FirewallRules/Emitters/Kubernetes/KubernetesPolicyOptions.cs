using System.Collections.ObjectModel;
using FirewallRules.Names;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// Options for the Kubernetes formats (<c>kubernetes</c>, <c>cilium</c>, <c>calico</c>): where the policies live,
/// which pods they select, and how large an object may grow. Objects are named <c>{Name}-egress-tcp-443</c> (with
/// <c>-2</c>, <c>-3</c> ... when a list is split), so <see cref="EmitterOptions.Name"/> must be lowercase here.
/// </summary>
public sealed class KubernetesPolicyOptions : EmitterOptions
{
    /// <summary>The most <see cref="MaxObjectBytes"/> may be: below the 1.5 MiB etcd accepts in one request, with room for what the server adds.</summary>
    public const int MaxObjectBytesLimit = 1_400_000;

    private const int DefaultMaxObjectBytes = 256 * 1024;
    private const int DefaultPolicyMapEntries = 16_384;
    private const int DefaultKubeletPort = 10250;
    private readonly string _namespace = "datadog";
    private readonly IReadOnlyDictionary<string, string>? _podSelector;
    private readonly int _maxObjectBytes = DefaultMaxObjectBytes;
    private readonly int _maxPolicyMapEntries = DefaultPolicyMapEntries;
    private readonly int _kubeletPort = DefaultKubeletPort;
    private readonly IReadOnlyList<ClusterDestination> _clusterDestinations = [];

    /// <summary>Creates options with the defaults.</summary>
    public KubernetesPolicyOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>.</summary>
    /// <param name="shared">The shared settings (name, comments, families, prefix budget) to copy.</param>
    public KubernetesPolicyOptions(EmitterOptions shared)
        : base(shared)
    {
    }

    /// <summary>
    /// The label the Datadog Agent's pods carry, whether deployed by the Helm chart (<c>datadog</c>, its DaemonSet's pod
    /// template) or by the Datadog Operator: <c>agent.datadoghq.com/component: agent</c>. It does not match the Cluster
    /// Agent's pods (<c>cluster-agent</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> AgentPodSelector { get; } =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(StringComparer.Ordinal) { ["agent.datadoghq.com/component"] = "agent" });

    /// <summary>The namespace of the policies (and of the selected pods), unless <see cref="ClusterWide"/>.</summary>
    /// <value><c>datadog</c>. An RFC 1123 label: 1 to 63 lowercase letters, digits and <c>-</c>.</value>
    /// <exception cref="ArgumentException">The value is not a valid namespace name.</exception>
    public string Namespace
    {
        get => _namespace;
        init => _namespace = NameRules.IsDnsLabel(value)
            ? value
            : throw new ArgumentException(
                $"'{value}' is not a namespace name: use {NameRules.DnsLabelRule}", nameof(value));
    }

    /// <summary>
    /// The labels of the pods the policies apply to (all must match). Egress rules and an agent's listener rules
    /// default to <see cref="AgentPodSelector"/>; rules for what Datadog connects to (webhooks, synthetics) reach your
    /// own services, so they need this set.
    /// </summary>
    /// <value>Null: <see cref="AgentPodSelector"/> where it applies.</value>
    /// <exception cref="ArgumentException">The selector is empty, or a key or value is not a valid label key or value.</exception>
    public IReadOnlyDictionary<string, string>? PodSelector
    {
        get => _podSelector;
        init => _podSelector = value is null ? null : CheckSelector(value);
    }

    /// <summary>
    /// Whether an egress output also allows DNS (53/udp and 53/tcp) to the cluster's DNS pods (<c>k8s-app: kube-dns</c>
    /// in <c>kube-system</c>, what CoreDNS and kube-dns carry): an egress policy denies every other egress of its pods,
    /// DNS included, and the Agent resolves Datadog's host names. For Cilium's <see cref="ByName"/> form the rule also
    /// sends DNS through Cilium's proxy, which <c>toFQDNs</c> needs.
    /// </summary>
    /// <value><see langword="true"/>. Turn it off when another policy already allows DNS.</value>
    public bool AllowDns { get; init; } = true;

    /// <summary>
    /// In-cluster destinations the Agent's pods may also send to, each allowed by a policy of its own in the target's
    /// narrowest terms (<see cref="ClusterDestination"/>): the kubelet, the API server, NTP. Their addresses are the
    /// cluster's, not Datadog's, so no rule names them; <c>generate --helm-values</c> sets the ones the chart's enabled
    /// features need.
    /// </summary>
    /// <value>Empty. Held once each, in the order of <see cref="ClusterDestination"/>.</value>
    public IReadOnlyList<ClusterDestination> ClusterDestinations
    {
        get => _clusterDestinations;
        init => _clusterDestinations = ClusterPeers.Ordered(value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// The TCP port the kubelet serves HTTPS on, which <see cref="ClusterDestination.Kubelet"/> allows: the Agent's
    /// <c>kubernetes_https_kubelet_port</c>, the kubelet's own <c>--port</c>.
    /// </summary>
    /// <value>10250, the kubelet's default. Rules generated from an Agent's configuration take the port it gives.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1 to 65,535.</exception>
    public int KubeletPort
    {
        get => _kubeletPort;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65_535);
            _kubeletPort = value;
        }
    }

    /// <summary>
    /// Cluster-wide policies instead of namespaced ones: <c>CiliumClusterwideNetworkPolicy</c>, or Calico's
    /// <c>GlobalNetworkPolicy</c>; the pods are then selected in every namespace. Plain Kubernetes NetworkPolicies are
    /// always namespaced.
    /// </summary>
    public bool ClusterWide { get; init; }

    /// <summary>
    /// Cilium only: allow Datadog's intake host names (<c>toFQDNs</c>) instead of its address ranges, with the DNS rule
    /// that makes Cilium's DNS proxy learn the addresses (<see cref="AllowDns"/> must stay on).
    /// </summary>
    public bool ByName { get; init; }

    /// <summary>
    /// The largest an object may be, in bytes of YAML; longer lists are split over numbered objects. The default
    /// leaves room for the copy <c>kubectl apply</c> keeps in an annotation (256 KiB for all annotations).
    /// </summary>
    /// <value>262,144 (256 KiB). At most <see cref="MaxObjectBytesLimit"/>: etcd refuses requests over 1.5 MiB.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 4,096 to <see cref="MaxObjectBytesLimit"/>.</exception>
    public int MaxObjectBytes
    {
        get => _maxObjectBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 4096);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxObjectBytesLimit);
            _maxObjectBytes = value;
        }
    }

    /// <summary>
    /// Cilium only: the entries the selected pods' policy map may hold (Cilium's <c>bpf-policy-map-max</c>). Every
    /// prefix allowed on a port takes about one entry, whichever object holds it, so splitting cannot help: output that
    /// needs more is refused.
    /// </summary>
    /// <value>16,384, Cilium's default.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxPolicyMapEntries
    {
        get => _maxPolicyMapEntries;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxPolicyMapEntries = value;
        }
    }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static KubernetesPolicyOptions From(EmitterOptions options) => options as KubernetesPolicyOptions ?? new(options);

    private static ReadOnlyDictionary<string, string> CheckSelector(IReadOnlyDictionary<string, string> selector)
    {
        if (selector.Count == 0)
        {
            throw new ArgumentException("an empty pod selector would select every pod of the namespace: name at least one label", nameof(selector));
        }

        foreach ((string key, string value) in selector)
        {
            if (!KubernetesNames.IsLabelKey(key) || !KubernetesNames.IsLabelValue(value))
            {
                throw new ArgumentException(
                    $"'{key}={value}' is not a label: keys are an optional DNS prefix and / then up to 63 letters, digits, - _ or .; " +
                    "values up to 63 of the same", nameof(selector));
            }
        }

        return new ReadOnlyDictionary<string, string>(selector.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal));
    }
}
