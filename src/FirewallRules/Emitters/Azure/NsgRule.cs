using System.Globalization;
using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Azure;

/// <summary>One security rule of the NSG.</summary>
/// <param name="Name">Valid for Azure (checked on creation).</param>
/// <param name="Priority">Unique within its direction, 100-4096.</param>
/// <param name="Direction">Outbound (egress) or inbound (ingress).</param>
/// <param name="Action">Allow or deny.</param>
/// <param name="Port">The destination port; null for any protocol and port.</param>
/// <param name="Prefixes">The remote prefixes (destinations outbound, sources inbound), one family; empty for a planned deny.</param>
/// <param name="Description">At most 140 characters.</param>
/// <param name="RemoteTag">A planned deny's remote side instead of prefixes: <c>Internet</c> or <c>*</c> (any address).</param>
internal sealed record NsgRule(
    string Name, int Priority, Direction Direction, RuleAction Action, PortRange? Port, IReadOnlyList<IPNetwork> Prefixes, string Description,
    string? RemoteTag = null)
{
    /// <summary>The service tag the Internet deny targets.</summary>
    public const string InternetTag = "Internet";

    /// <summary>Any address, the remote side of a closed port's deny.</summary>
    public const string AnyAddress = "*";

    /// <summary>Whether the plan added this deny (Internet, closed port) rather than a rule of the set.</summary>
    public bool IsPlannedDeny => RemoteTag is not null;

    /// <summary><c>Outbound</c> or <c>Inbound</c>.</summary>
    public string DirectionName => Direction == Direction.Egress ? "Outbound" : "Inbound";

    /// <summary><c>Allow</c> or <c>Deny</c>.</summary>
    public string Access => Action == RuleAction.Allow ? "Allow" : "Deny";

    /// <summary><c>Tcp</c>, <c>Udp</c>, or <c>*</c> for the Internet deny.</summary>
    public string Protocol => Port is PortRange port ? (port.Protocol == TransportProtocol.Tcp ? "Tcp" : "Udp") : "*";

    /// <summary><c>443</c>, <c>8000-8100</c>, or <c>*</c> for the Internet deny.</summary>
    public string DestinationPorts => Port is PortRange port
        ? (port.IsSinglePort ? port.First.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{port.First}-{port.Last}"))
        : "*";

    /// <summary>
    /// The rule's <c>properties</c> in the ARM/Bicep schema's order and names: prefix lists as the plural
    /// <c>...AddressPrefixes</c> arrays, the other side and the ports as <c>*</c>, a planned deny's remote side as
    /// its tag (<c>Internet</c>, or <c>*</c> for a closed port).
    /// </summary>
    /// <param name="descriptions">Whether to include the description.</param>
    public IEnumerable<NsgProperty> Properties(bool descriptions)
    {
        if (descriptions)
        {
            yield return new NsgProperty("description", Description);
        }

        yield return new NsgProperty("protocol", Protocol);
        yield return new NsgProperty("sourcePortRange", "*");
        yield return new NsgProperty("destinationPortRange", DestinationPorts);
        NsgProperty Remote(string side) => RemoteTag is string tag
            ? new NsgProperty(side + "AddressPrefix", tag)
            : new NsgProperty(side + "AddressPrefixes", List: Prefixes.Select(p => p.ToString()).ToArray());
        if (Direction == Direction.Egress)
        {
            yield return new NsgProperty("sourceAddressPrefix", AnyAddress);
            yield return Remote("destination");
        }
        else
        {
            yield return Remote("source");
            yield return new NsgProperty("destinationAddressPrefix", AnyAddress);
        }

        yield return new NsgProperty("access", Access);
        yield return new NsgProperty("priority", Number: Priority);
        yield return new NsgProperty("direction", DirectionName);
    }

    /// <summary>The deny an egress allow-list needs: everything outbound to the Internet (priority set by the plan).</summary>
    public static NsgRule DenyInternet(string name, string description) =>
        new(name, 0, Direction.Egress, RuleAction.Deny, null, [], description, InternetTag);

    /// <summary>The deny a closed port needs: its protocol and port from (inbound) or to (outbound) any address (priority set by the plan).</summary>
    public static NsgRule DenyPort(string name, Direction direction, PortRange port, string description) =>
        new(name, 0, direction, RuleAction.Deny, port, [], description, AnyAddress);
}
