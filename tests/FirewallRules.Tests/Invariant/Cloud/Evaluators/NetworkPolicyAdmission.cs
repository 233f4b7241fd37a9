using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>The pod the Kubernetes evaluators ask about: its namespace and labels.</summary>
internal sealed record Pod(string Namespace, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// Kubernetes NetworkPolicies (networking.k8s.io/v1), as PyYAML read them, for <paramref name="pod"/>: policies add up. A pod that a
/// policy of its namespace selects (<c>podSelector.matchLabels</c>, all of them) for a direction (<c>policyTypes</c>, by default
/// Ingress, and Egress when the policy has egress rules) receives or sends only what one rule of one such policy allows: a peer
/// (<c>ipBlock</c> CIDR less its <c>except</c>; no peer: every address) and a port (protocol, default TCP; <c>port</c> to
/// <c>endPort</c>; no port: every port). A pod no policy selects for a direction is not isolated in it.
/// </summary>
/// <remarks>
/// The remote addresses asked about are outside the cluster: a <c>podSelector</c> or <c>namespaceSelector</c> peer selects pods,
/// never them (the DNS policy to kube-dns admits none of the probed addresses). Left to Kubernetes: loopback (traffic inside a pod
/// is never filtered). Not modelled: <c>matchExpressions</c> and named ports (an error), the pods themselves as peers, host-network
/// pods, and the CNI's own exceptions (the node's traffic to its pods).
/// </remarks>
internal sealed class NetworkPolicyAdmission(IReadOnlyList<JsonObject> documents, Pod pod) : Admission
{
    private readonly JsonObject[] _policies = [.. documents.Where(d => Kind(d) == "NetworkPolicy" && Selects(d, pod)).Select(d => d["spec"]!.AsObject())];

    public override bool Admits(Packet packet)
    {
        if (Unfiltered(packet))
        {
            return true;
        }

        string type = packet.Direction == Direction.Egress ? "Egress" : "Ingress";
        JsonObject[] isolating = [.. _policies.Where(p => Types(p).Contains(type))];
        return isolating.Length == 0 || isolating.Any(p => Rules(p, packet.Direction).Any(r => RuleAdmits(r, packet)));
    }

    public override bool Platform(Packet packet) => true;

    public override PlanModel Reading(PlanModel plan) => InPods(plan);

    /// <summary>
    /// The plan as the Kubernetes formats render it (their header says so): traffic inside a pod never meets a policy, so a listener
    /// rule loses its loopback prefixes, and one left with none (a listener bound to loopback, "reachable from inside its pod only")
    /// is no rule: its port is left to the pod's own binding.
    /// </summary>
    public static PlanModel InPods(PlanModel plan) => plan.Map(rule => !rule.Closes
        ? rule
        : rule.Prefixes.Where(p => !Net.IsLoopback(p.Network)).ToArray() is { Length: > 0 } kept ? rule with { Prefixes = kept } : null);

    public static string Kind(JsonObject document) => document["kind"]?.GetValue<string>() ?? string.Empty;

    private static bool Selects(JsonObject policy, Pod pod)
    {
        if (policy["metadata"]?["namespace"]?.GetValue<string>() != pod.Namespace)
        {
            return false;
        }

        JsonNode? selector = policy["spec"]?["podSelector"];
        if (selector?["matchExpressions"] is not null)
        {
            throw new FormatException("matchExpressions are not modelled");
        }

        return MatchLabels(selector?["matchLabels"] as JsonObject, pod.Labels);
    }

    /// <summary>Whether every label of <paramref name="matchLabels"/> (none: every pod) is one of <paramref name="labels"/>.</summary>
    public static bool MatchLabels(JsonObject? matchLabels, IReadOnlyDictionary<string, string> labels) =>
        matchLabels is null || matchLabels.All(l => labels.TryGetValue(l.Key, out string? value) && value == l.Value!.GetValue<string>());

    private static IEnumerable<string> Types(JsonObject spec) => spec["policyTypes"] is JsonArray types
        ? types.Select(t => t!.GetValue<string>())
        : spec["egress"] is null ? ["Ingress"] : ["Ingress", "Egress"];

    private static IEnumerable<JsonObject> Rules(JsonObject spec, Direction direction) =>
        (spec[direction == Direction.Egress ? "egress" : "ingress"] as JsonArray ?? []).Select(r => r?.AsObject() ?? []);

    private static bool RuleAdmits(JsonObject rule, Packet packet)
    {
        JsonArray? peers = rule[packet.Direction == Direction.Egress ? "to" : "from"] as JsonArray;
        JsonArray? ports = rule["ports"] as JsonArray;
        bool peer = peers is null || peers.Count == 0 || peers.Any(p => PeerHolds(p!.AsObject(), packet.Remote));
        bool port = ports is null || ports.Count == 0 || ports.Any(p => PortHolds(p!.AsObject(), packet));
        return peer && port;
    }

    private static bool PeerHolds(JsonObject peer, IPAddress address)
    {
        if (peer["ipBlock"] is not JsonObject block)
        {
            return false;
        }

        bool excepted = block["except"] is JsonArray except && except.Any(e => Net.Contains(Net.Parse(e!.GetValue<string>()), address));
        return Net.Contains(Net.Parse(block["cidr"]!.GetValue<string>()), address) && !excepted;
    }

    private static bool PortHolds(JsonObject port, Packet packet)
    {
        string protocol = port["protocol"]?.GetValue<string>() ?? "TCP";
        if (protocol != (packet.Protocol == TransportProtocol.Tcp ? "TCP" : "UDP"))
        {
            return false;
        }

        if (port["port"] is not JsonNode number)
        {
            return true;
        }

        if (number.GetValueKind() != System.Text.Json.JsonValueKind.Number)
        {
            throw new FormatException($"named port {number} is not modelled");
        }

        int first = number.GetValue<int>();
        int last = port["endPort"]?.GetValue<int>() ?? first;
        return first <= packet.Port && packet.Port <= last;
    }
}
