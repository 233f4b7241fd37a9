using System.Globalization;
using System.Text.Json.Nodes;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// What the Kubernetes formats allow, read back from PyYAML's parse of the output: per direction and port (and action),
/// the sorted prefixes. Compared with the same view of the rule set they were rendered from.
/// </summary>
internal static class PolicyReadBack
{
    /// <summary>The rules as the policies should allow them: loopback is never filtered in a pod, so listener rules drop it.</summary>
    public static SortedDictionary<string, string[]> Expected(RuleSet prepared) => Collect(prepared.Rules
        .Select(rule => (Key(rule.Direction == Direction.Egress, rule.Action == RuleAction.Allow, rule.Port.ToString()),
            (rule.ClosesPort ? rule.Prefixes.Except(LocalListenerRules.Loopback) : rule.Prefixes).Select(p => p.ToString())))
        .Where(entry => entry.Item2.Any()));

    public static SortedDictionary<string, string[]> FromNetworkPolicies(IEnumerable<PublishedSchemas.Checked> documents) => Collect(
        from document in documents
        where !document.Name.EndsWith("-dns", StringComparison.Ordinal)
        let spec = document.Document["spec"]!
        let egress = spec["policyTypes"]![0]!.GetValue<string>() == "Egress"
        from rule in spec[egress ? "egress" : "ingress"]!.AsArray()
        from port in rule!["ports"]!.AsArray()
        select (Key(egress, true, Port(port!["port"]!.GetValue<int>(), port["endPort"]?.GetValue<int>(), port["protocol"]!.GetValue<string>())),
            rule[egress ? "to" : "from"]!.AsArray().Select(peer => peer!["ipBlock"]!["cidr"]!.GetValue<string>())));

    public static SortedDictionary<string, string[]> FromCilium(IEnumerable<PublishedSchemas.Checked> documents) => Collect(
        from document in documents
        where !document.Name.EndsWith("-dns", StringComparison.Ordinal)
        from section in new[] { "egress", "egressDeny", "ingress", "ingressDeny" }
        where document.Document["spec"]![section] is not null
        let egress = section.StartsWith("egress", StringComparison.Ordinal)
        from rule in document.Document["spec"]![section]!.AsArray()
        from port in rule!["toPorts"]![0]!["ports"]!.AsArray()
        select (Key(
            egress, !section.EndsWith("Deny", StringComparison.Ordinal),
            Port(int.Parse(port!["port"]!.GetValue<string>(), CultureInfo.InvariantCulture), port["endPort"]?.GetValue<int>(), port["protocol"]!.GetValue<string>())),
            rule[egress ? "toCIDRSet" : "fromCIDRSet"]!.AsArray().Select(entry => entry!["cidr"]!.GetValue<string>())));

    public static SortedDictionary<string, string[]> FromCalico(IReadOnlyList<PublishedSchemas.Checked> documents)
    {
        ILookup<string, string> sets = documents.Where(d => d.Kind == "GlobalNetworkSet").SelectMany(d =>
                d.Document["spec"]!["nets"]!.AsArray().Select(net => (Set: d.Document["metadata"]!["labels"]!["fwrules/set"]!.GetValue<string>(), Net: net!.GetValue<string>())))
            .ToLookup(x => x.Set, x => x.Net);
        return Collect(
            from document in documents
            where document.Kind != "GlobalNetworkSet" && !document.Name.EndsWith("-dns", StringComparison.Ordinal)
            let egress = document.Document["spec"]!["types"]![0]!.GetValue<string>() == "Egress"
            from rule in document.Document["spec"]![egress ? "egress" : "ingress"]!.AsArray()
            let peer = rule![egress ? "destination" : "source"]!
            let set = peer["selector"]!.GetValue<string>().Split('\'')[1]
            from port in rule["destination"]!["ports"]!.AsArray()
            select (Key(egress, rule["action"]!.GetValue<string>() == "Allow", CalicoPort(port!, rule["protocol"]!.GetValue<string>())), sets[set]));
    }

    private static string CalicoPort(JsonNode port, string protocol) => port.GetValueKind() == System.Text.Json.JsonValueKind.Number
        ? Port(port.GetValue<int>(), null, protocol)
        : Port(
            int.Parse(port.GetValue<string>().Split(':')[0], CultureInfo.InvariantCulture), int.Parse(port.GetValue<string>().Split(':')[1], CultureInfo.InvariantCulture),
            protocol);

    private static string Port(int first, int? last, string protocol) =>
        new PortRange(protocol == "TCP" ? TransportProtocol.Tcp : TransportProtocol.Udp, first, last ?? first).ToString();

    private static string Key(bool egress, bool allow, string port) => $"{(egress ? "egress" : "ingress")} {(allow ? "allow" : "deny")} {port}";

    private static SortedDictionary<string, string[]> Collect(IEnumerable<(string Key, IEnumerable<string> Prefixes)> entries) =>
        new(entries.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Prefixes).Order(StringComparer.Ordinal).ToArray()), StringComparer.Ordinal);
}
