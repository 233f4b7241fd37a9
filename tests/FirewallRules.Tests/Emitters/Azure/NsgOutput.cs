using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>One NSG security rule read back from an output.</summary>
internal sealed record NsgEntry(string Name, int Priority, string Direction, string Access, string Protocol, string SourcePorts, string DestinationPorts,
    IReadOnlyList<string> Sources, IReadOnlyList<string> Destinations, string? Description)
{
    public bool IsInternetDeny => Access == "Deny" && Destinations is ["Internet"];

    /// <summary>A deny of one protocol and port from (inbound) or to (outbound) any address: a closed port's.</summary>
    public bool IsClosedPortDeny => Access == "Deny" && Remote is ["*"] && DestinationPorts != "*";

    /// <summary>A deny the plan added rather than one of the rule set's rules.</summary>
    public bool IsPlannedDeny => IsInternetDeny || IsClosedPortDeny;

    /// <summary>The remote side: destinations outbound, sources inbound.</summary>
    public IReadOnlyList<string> Remote => Direction == "Outbound" ? Destinations : Sources;

    /// <summary>Every field as text, lists included, for comparing rules read from different formats.</summary>
    public string Canonical =>
        $"{Name} {Priority} {Direction} {Access} {Protocol} {SourcePorts} {DestinationPorts} [{string.Join(" ", Sources)}] [{string.Join(" ", Destinations)}] {Description}";
}

/// <summary>An Azure output parsed back (ARM JSON, Bicep through <see cref="BicepReader"/>, or the az calls a script made).</summary>
internal sealed class NsgOutput(IReadOnlyList<NsgEntry> rules)
{
    public IReadOnlyList<NsgEntry> Rules { get; } = rules;

    /// <summary>The template's security rules, as JSON (for comparing ARM and Bicep), and parsed.</summary>
    public static (NsgOutput Output, JsonNode SecurityRules) FromArm(string json)
    {
        JsonNode template = JsonNode.Parse(json)!;
        JsonNode resource = template["resources"]!.AsArray().Single()!;
        Assert.That((string?)resource["type"], Is.EqualTo("Microsoft.Network/networkSecurityGroups"));
        JsonNode rules = resource["properties"]!["securityRules"]!;
        return (FromSecurityRules(rules), rules);
    }

    public static (NsgOutput Output, JsonNode SecurityRules, BicepReader Bicep) FromBicep(string text)
    {
        BicepReader bicep = BicepReader.Read(text);
        Assert.That(bicep.Resource.Type, Does.StartWith("Microsoft.Network/networkSecurityGroups@"));
        JsonNode rules = bicep.Resource.Body["properties"]!["securityRules"]!;
        return (FromSecurityRules(rules), rules, bicep);
    }

    /// <summary>The <c>az network nsg rule create</c> calls a script made, in order.</summary>
    public static NsgOutput FromAzCalls(IEnumerable<string[]> calls) =>
        new(calls.Where(c => c is ["network", "nsg", "rule", "create", ..]).Select(call =>
        {
            string? Single(string option) => Array.IndexOf(call, option) is int i and >= 0 ? call[i + 1] : null;
            IReadOnlyList<string> Many(string option) => call.Skip(Array.IndexOf(call, option) + 1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
            return new NsgEntry(Single("--name")!, int.Parse(Single("--priority")!, System.Globalization.CultureInfo.InvariantCulture), Single("--direction")!,
                Single("--access")!, Single("--protocol")!, Single("--source-port-ranges")!, Single("--destination-port-ranges")!,
                Many("--source-address-prefixes"), Many("--destination-address-prefixes"), Single("--description"));
        }).ToArray());

    /// <summary>Security rules as ARM writes them (a template's, or those a client sent to ARM), in order.</summary>
    public static NsgOutput FromSecurityRules(JsonNode rules) =>
        new(rules.AsArray().Select(rule =>
        {
            JsonNode properties = rule!["properties"]!;
            IReadOnlyList<string> Side(string side) => properties[side + "AddressPrefixes"] is JsonArray many
                ? many.Select(p => (string)p!).ToArray()
                : [(string)properties[side + "AddressPrefix"]!];
            return new NsgEntry((string)rule["name"]!, (int)properties["priority"]!, (string)properties["direction"]!, (string)properties["access"]!,
                (string)properties["protocol"]!, (string)properties["sourcePortRange"]!, (string)properties["destinationPortRange"]!,
                Side("source"), Side("destination"), (string?)properties["description"]);
        }).ToArray());

    /// <summary>The remote prefixes of each (direction, port) of the rule set's rules (the planned denies left out).</summary>
    public Dictionary<(Direction, PortRange), PrefixSet> PrefixesByPort() =>
        Rules.Where(r => !r.IsPlannedDeny)
            .GroupBy(r => (r.Direction == "Outbound" ? Direction.Egress : Direction.Ingress, PortRange.Parse($"{r.DestinationPorts}/{r.Protocol}")))
            .ToDictionary(g => g.Key, g => PrefixSet.Create(g.SelectMany(r => r.Remote).Select(IPNetwork.Parse)));
}
