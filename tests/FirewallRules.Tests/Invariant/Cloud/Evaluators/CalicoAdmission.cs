using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// Calico's policies (projectcalico.org/v3 NetworkPolicy in the pod's namespace, GlobalNetworkPolicy), as PyYAML read them, for
/// <paramref name="pod"/>: the policies whose <c>selector</c> selects it (<see cref="CalicoSelector"/>; its labels and
/// <c>projectcalico.org/namespace</c>) and whose <c>types</c> hold the packet's direction (by default Ingress, and Egress when the
/// policy has egress rules) are taken in <c>order</c> (none: last), then by name; in each, the first rule that matches decides
/// (<c>Allow</c>, <c>Deny</c>; <c>Log</c> goes on). When no rule of them decides, the packet is dropped; a pod no policy applies to
/// is not isolated (its namespace's profile allows).
/// </summary>
/// <remarks>
/// A rule matches on <c>protocol</c> (none: any), and on the remote side (egress <c>destination</c>, ingress <c>source</c>):
/// <c>nets</c>, <c>notNets</c>, and a <c>selector</c> over network sets: a namespaced policy's selects the NetworkSets of its namespace,
/// or with <c>namespaceSelector: global()</c> the GlobalNetworkSets; a GlobalNetworkPolicy's, without a namespace selector, both.
/// Ports: <c>destination.ports</c> (a number, <c>"first:last"</c>) and <c>notPorts</c>. The probed addresses are outside the cluster:
/// a selector matches them only through a network set's <c>nets</c>, never as pods (the DNS policy to kube-dns admits none).
/// Not modelled (an error): <c>Pass</c>, named ports, <c>serviceAccountSelector</c>, <c>services</c>, HTTP and ICMP matches, and
/// tiers. Left to Calico: loopback.
/// </remarks>
internal sealed class CalicoAdmission(IReadOnlyList<JsonObject> documents, Pod pod) : Admission
{
    private readonly (string Name, string? Namespace, Dictionary<string, string> Labels, IPNetwork2[] Nets)[] _sets = [.. documents
        .Where(d => NetworkPolicyAdmission.Kind(d) is "GlobalNetworkSet" or "NetworkSet")
        .Select(d => (Name(d), d["metadata"]?["namespace"]?.GetValue<string>(), Labels(d["metadata"]?["labels"]),
            (d["spec"]?["nets"] as JsonArray ?? []).Select(n => Net.Parse(n!.GetValue<string>())).ToArray()))];

    private readonly JsonObject[] _policies = [.. documents.Where(d => Applies(d, pod))
        .OrderBy(d => d["spec"]?["order"]?.GetValue<double>() ?? double.PositiveInfinity).ThenBy(Name, StringComparer.Ordinal)];

    public override bool Admits(Packet packet)
    {
        if (Unfiltered(packet))
        {
            return true;
        }

        string type = packet.Direction == Direction.Egress ? "Egress" : "Ingress";
        string key = packet.Direction == Direction.Egress ? "egress" : "ingress";
        JsonObject[] applying = [.. _policies.Where(p => Types(p["spec"]!.AsObject()).Contains(type))];
        foreach (JsonObject policy in applying)
        {
            foreach (JsonObject rule in (policy["spec"]![key] as JsonArray ?? []).Select(r => r!.AsObject()))
            {
                string action = rule["action"]!.GetValue<string>();
                if (action == "Pass")
                {
                    throw new FormatException("Pass is not modelled");
                }

                if (action != "Log" && Matches(policy, rule, packet))
                {
                    return action == "Allow";
                }
            }
        }

        return applying.Length == 0;
    }

    public override bool Platform(Packet packet) => true;

    public override PlanModel Reading(PlanModel plan) => NetworkPolicyAdmission.InPods(plan);

    private static string Name(JsonObject document) => document["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;

    private static Dictionary<string, string> Labels(JsonNode? labels) =>
        (labels as JsonObject ?? []).ToDictionary(l => l.Key, l => l.Value!.GetValue<string>());

    private static bool Applies(JsonObject document, Pod pod)
    {
        string kind = NetworkPolicyAdmission.Kind(document);
        if (kind == "NetworkPolicy" && document["apiVersion"]?.GetValue<string>() != "projectcalico.org/v3")
        {
            return false;
        }

        bool namespaced = kind == "NetworkPolicy";
        if ((!namespaced && kind != "GlobalNetworkPolicy") || (namespaced && document["metadata"]?["namespace"]?.GetValue<string>() != pod.Namespace))
        {
            return false;
        }

        var labels = new Dictionary<string, string>(pod.Labels) { ["projectcalico.org/namespace"] = pod.Namespace };
        JsonNode spec = document["spec"]!;
        bool inNamespace = namespaced || CalicoSelector.Selects(spec["namespaceSelector"]?.GetValue<string>(),
            new Dictionary<string, string> { ["projectcalico.org/name"] = pod.Namespace }, global: false);
        return inNamespace && CalicoSelector.Selects(spec["selector"]?.GetValue<string>(), labels, global: false);
    }

    private static IEnumerable<string> Types(JsonObject spec) => spec["types"] is JsonArray types
        ? types.Select(t => t!.GetValue<string>())
        : spec["egress"] is null ? ["Ingress"] : ["Ingress", "Egress"];

    private bool Matches(JsonObject policy, JsonObject rule, Packet packet)
    {
        foreach (string unmodelled in new[] { "http", "icmp", "notICMP", "notProtocol", "ipVersion", "metadata" })
        {
            if (rule[unmodelled] is not null)
            {
                throw new FormatException($"{unmodelled} is not modelled");
            }
        }

        string? protocol = rule["protocol"]?.ToString();
        if (protocol is not null && protocol != (packet.Protocol == TransportProtocol.Tcp ? "TCP" : "UDP") && protocol != (packet.Protocol == TransportProtocol.Tcp ? "6" : "17"))
        {
            return false;
        }

        JsonObject remote = rule[packet.Direction == Direction.Egress ? "destination" : "source"] as JsonObject ?? [];
        JsonObject destination = rule["destination"] as JsonObject ?? [];
        // The local side (an egress rule's source, an ingress rule's destination beyond its ports) is the pod itself: not modelled.
        JsonObject local = rule[packet.Direction == Direction.Egress ? "source" : "destination"] as JsonObject ?? [];
        if (local.Any(p => p.Key is not ("ports" or "notPorts") || packet.Direction == Direction.Egress))
        {
            throw new FormatException($"a rule's local side ({local.ToJsonString()}) is not modelled");
        }

        return Remote(policy, remote, packet.Remote) && PortsHold(destination, packet.Port);
    }

    private bool Remote(JsonObject policy, JsonObject side, IPAddress address)
    {
        foreach (string unmodelled in new[] { "serviceAccounts", "services", "notSelector" })
        {
            if (side[unmodelled] is not null)
            {
                throw new FormatException($"{unmodelled} is not modelled");
            }
        }

        bool nets = side["nets"] is not JsonArray list || list.Any(n => Net.Contains(Net.Parse(n!.GetValue<string>()), address));
        bool notNets = side["notNets"] is JsonArray not && not.Any(n => Net.Contains(Net.Parse(n!.GetValue<string>()), address));
        bool selector = side["selector"] is not JsonNode expression || SelectedSets(policy, expression.GetValue<string>(), side["namespaceSelector"]?.GetValue<string>())
            .Any(set => Net.Any(set, address));
        return nets && !notNets && selector;
    }

    // The network sets a rule's selector reaches (see the class's remarks); pods are never the probed addresses.
    private IEnumerable<IPNetwork2[]> SelectedSets(JsonObject policy, string selector, string? namespaceSelector)
    {
        bool global = NetworkPolicyAdmission.Kind(policy) == "GlobalNetworkPolicy";
        string? own = policy["metadata"]?["namespace"]?.GetValue<string>();
        foreach (var set in _sets)
        {
            bool isGlobal = set.Namespace is null;
            bool inScope = namespaceSelector is null
                ? global || set.Namespace == own
                : CalicoSelector.Selects(namespaceSelector, isGlobal ? new Dictionary<string, string>() : new() { ["projectcalico.org/name"] = set.Namespace! }, isGlobal);
            if (inScope && CalicoSelector.Selects(selector, set.Labels, isGlobal))
            {
                yield return set.Nets;
            }
        }
    }

    private static bool PortsHold(JsonObject destination, int port)
    {
        bool InAny(JsonArray ports) => ports.Any(p =>
        {
            string text = p!.ToString();
            string[] bounds = text.Split(':');
            if (!bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new FormatException($"named port {text} is not modelled");
            }

            return int.Parse(bounds[0], CultureInfo.InvariantCulture) <= port && port <= int.Parse(bounds[^1], CultureInfo.InvariantCulture);
        });
        bool ports = destination["ports"] is not JsonArray list || InAny(list);
        bool notPorts = destination["notPorts"] is JsonArray not && InAny(not);
        return ports && !notPorts;
    }
}
