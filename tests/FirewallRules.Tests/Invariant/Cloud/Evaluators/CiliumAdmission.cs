using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// Cilium's policies (CiliumNetworkPolicy in the pod's namespace, CiliumClusterwideNetworkPolicy anywhere), as PyYAML read them,
/// for <paramref name="pod"/>: a rule (<c>spec</c> or each of <c>specs</c>) whose <c>endpointSelector.matchLabels</c> the pod's
/// labels hold (<c>k8s:</c> prefixes dropped, <c>io.kubernetes.pod.namespace</c> its namespace) and that has rules of a direction
/// puts the pod in default deny for it (unless <c>enableDefaultDeny</c> says otherwise). Then a packet passes when an allow rule
/// matches and no deny rule (<c>egressDeny</c>, <c>ingressDeny</c>) does, a deny always winning.
/// </summary>
/// <remarks>
/// A rule matches on its peers (<c>toCIDR</c>/<c>fromCIDR</c>; <c>toCIDRSet</c>/<c>fromCIDRSet</c>, CIDR less its <c>except</c>;
/// the entities <c>world</c>, <c>world-ipv4</c>, <c>world-ipv6</c> and <c>all</c>, which hold every address outside the cluster; no
/// peer at all: every address) and its <c>toPorts</c> (port to <c>endPort</c>, port 0 all, protocol or <c>ANY</c>; none: every port).
/// The probed addresses are outside the cluster: <c>toEndpoints</c> and the cluster's entities (<c>host</c>, <c>remote-node</c>,
/// <c>kube-apiserver</c>, <c>cluster</c>) select none of them. An L7 rule (DNS) passes what its ports let through to Cilium's
/// proxy, which then filters by name: not modelled, nor are <c>toServices</c>, <c>toGroups</c>, named ports. <c>toFQDNs</c> is modelled
/// only given <paramref name="lookups"/>, what the pod's DNS lookups answered (Cilium's DNS proxy learns each name's addresses from them):
/// a <c>matchName</c> (case ignored) or <c>matchPattern</c> (<c>*</c> any run of name characters) selects the addresses its names
/// resolved to; without lookups it is an error (names are not addresses). Left to Cilium: loopback (traffic inside a pod).
/// </remarks>
internal sealed class CiliumAdmission(IReadOnlyList<JsonObject> documents, Pod pod, IReadOnlyDictionary<string, IPAddress[]>? lookups = null) : Admission
{
    private static readonly string[] World = ["world", "world-ipv4", "world-ipv6", "all"];
    private static readonly string[] Cluster = ["host", "remote-node", "kube-apiserver", "cluster", "health", "init", "ingress", "unmanaged"];

    private readonly JsonObject[] _rules = [.. documents.Where(d => Applies(d, pod)).SelectMany(Specs).Where(s => Selects(s, pod))];

    public override bool Admits(Packet packet)
    {
        if (Unfiltered(packet))
        {
            return true;
        }

        string allow = packet.Direction == Direction.Egress ? "egress" : "ingress";
        string deny = allow + "Deny";
        bool isolated = _rules.Any(r => (r[allow] is not null || r[deny] is not null) && DefaultDeny(r, allow));
        bool allowed = _rules.Any(r => Sections(r, allow).Any(s => Matches(s, packet)));
        bool denied = _rules.Any(r => Sections(r, deny).Any(s => Matches(s, packet)));
        return !denied && (allowed || !isolated);
    }

    public override bool Platform(Packet packet) => true;

    public override PlanModel Reading(PlanModel plan) => NetworkPolicyAdmission.InPods(plan);

    private static bool Applies(JsonObject document, Pod pod) => NetworkPolicyAdmission.Kind(document) switch
    {
        "CiliumNetworkPolicy" => document["metadata"]?["namespace"]?.GetValue<string>() == pod.Namespace,
        "CiliumClusterwideNetworkPolicy" => true,
        _ => false,
    };

    private static IEnumerable<JsonObject> Specs(JsonObject document) =>
        document["specs"] is JsonArray specs ? specs.Select(s => s!.AsObject()) : [document["spec"]!.AsObject()];

    private static bool Selects(JsonObject spec, Pod pod)
    {
        JsonNode selector = spec["endpointSelector"] ?? throw new FormatException("a rule without endpointSelector (a node policy) is not modelled");
        if (selector["matchExpressions"] is not null)
        {
            throw new FormatException("matchExpressions are not modelled");
        }

        var labels = new Dictionary<string, string>(pod.Labels) { ["io.kubernetes.pod.namespace"] = pod.Namespace };
        return (selector["matchLabels"] as JsonObject ?? []).All(l =>
            labels.TryGetValue(Unprefixed(l.Key), out string? value) && value == l.Value!.GetValue<string>());
    }

    private static string Unprefixed(string key) => key.StartsWith("k8s:", StringComparison.Ordinal) || key.StartsWith("any:", StringComparison.Ordinal)
        ? key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..]
        : key;

    private static bool DefaultDeny(JsonObject spec, string direction) =>
        spec["enableDefaultDeny"]?[direction]?.GetValue<bool>() ?? true;

    private static IEnumerable<JsonObject> Sections(JsonObject spec, string key) => (spec[key] as JsonArray ?? []).Select(s => s?.AsObject() ?? []);

    private bool Matches(JsonObject section, Packet packet)
    {
        string side = packet.Direction == Direction.Egress ? "to" : "from";
        foreach (string unmodelled in new[] { "toServices", "toGroups", "toRequires", "fromRequires", "icmps" }.Append(lookups is null ? "toFQDNs" : string.Empty))
        {
            if (unmodelled.Length > 0 && section[unmodelled] is not null)
            {
                throw new FormatException($"{unmodelled} is not modelled");
            }
        }

        string[] peerKeys = [side + "CIDR", side + "CIDRSet", side + "Entities", side + "Endpoints", .. lookups is null ? Array.Empty<string>() : ["toFQDNs"]];
        bool anyPeer = peerKeys.Any(k => section[k] is not null);
        bool peer = !anyPeer || Peer(section, side, packet.Remote) || Resolved(section, packet.Remote);
        return peer && (section["toPorts"] is not JsonArray toPorts || toPorts.Count == 0 || toPorts.Any(p => Ports(p!.AsObject(), packet)));
    }

    // toFQDNs: an address one of its names resolved to, in the pod's lookups.
    private bool Resolved(JsonObject section, IPAddress address) => lookups is not null && (section["toFQDNs"] as JsonArray ?? []).Any(selector =>
        lookups.Any(lookup => lookup.Value.Contains(address) && Selects(selector!.AsObject(), lookup.Key)));

    // Cilium's FQDN selectors: matchName, case ignored, a trailing dot or not; matchPattern "*" every name, else "*" any run of DNS
    // characters but the dot.
    private static bool Selects(JsonObject selector, string name)
    {
        if (selector["matchName"] is { } exact)
        {
            return string.Equals(exact.GetValue<string>().TrimEnd('.'), name, StringComparison.OrdinalIgnoreCase);
        }

        string pattern = selector["matchPattern"]!.GetValue<string>().TrimEnd('.');
        return pattern == "*" || System.Text.RegularExpressions.Regex.IsMatch(name, "^" + System.Text.RegularExpressions.Regex.Escape(pattern)
            .Replace(@"\*", "[-a-zA-Z0-9_]*", StringComparison.Ordinal) + "$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }

    private static bool Peer(JsonObject section, string side, IPAddress address)
    {
        bool cidr = (section[side + "CIDR"] as JsonArray ?? []).Any(c => Net.Contains(Net.Parse(c!.GetValue<string>()), address));
        bool set = (section[side + "CIDRSet"] as JsonArray ?? []).Any(c =>
            Net.Contains(Net.Parse(c!["cidr"]!.GetValue<string>()), address)
            && !(c["except"] as JsonArray ?? []).Any(e => Net.Contains(Net.Parse(e!.GetValue<string>()), address)));
        bool entity = (section[side + "Entities"] as JsonArray ?? []).Any(e => Entity(e!.GetValue<string>(), address));
        return cidr || set || entity;
    }

    private static bool Entity(string entity, IPAddress address) => World.Contains(entity)
        ? (entity != "world-ipv4" || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            && (entity != "world-ipv6" || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        : Cluster.Contains(entity) ? false : throw new FormatException($"entity {entity} is not modelled");

    private static bool Ports(JsonObject toPort, Packet packet)
    {
        if (toPort["ports"] is not JsonArray ports || ports.Count == 0)
        {
            return true;
        }

        return ports.Any(p =>
        {
            string protocol = p!["protocol"]?.GetValue<string>() ?? "ANY";
            string text = p["port"]!.ToString();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int first))
            {
                throw new FormatException($"named port {text} is not modelled");
            }

            int last = p["endPort"]?.GetValue<int>() ?? first;
            bool protocolHolds = protocol == "ANY" || protocol == (packet.Protocol == TransportProtocol.Tcp ? "TCP" : "UDP");
            return protocolHolds && (first == 0 || (first <= packet.Port && packet.Port <= last));
        });
    }
}
