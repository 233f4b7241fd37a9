using System.Globalization;

namespace FirewallRules.Rules;

/// <summary>
/// The words every emitter writes for the rule model's values, spelled in one place: use them in an emitter or a
/// companion package of your own so its names and identifiers match the built-in formats'.
/// </summary>
public static class RuleKeywords
{
    /// <summary><c>egress</c> or <c>ingress</c>.</summary>
    public static string Keyword(this Direction direction) => direction == Direction.Egress ? "egress" : "ingress";

    /// <summary><c>tcp</c> or <c>udp</c>.</summary>
    public static string Keyword(this TransportProtocol protocol) => protocol == TransportProtocol.Tcp ? "tcp" : "udp";

    /// <summary><c>IPv4</c> or <c>IPv6</c>, for one family.</summary>
    public static string Label(this AddressFamilies family) => family == AddressFamilies.IPv4 ? "IPv4" : "IPv6";

    /// <summary><c>ipv4</c> or <c>ipv6</c>, for one family, in names and identifiers.</summary>
    public static string Keyword(this AddressFamilies family) => family == AddressFamilies.IPv4 ? "ipv4" : "ipv6";

    /// <summary>The port, or the range's ends joined by <paramref name="separator"/> (<c>-</c> for most targets, <c>:</c> for iptables).</summary>
    public static string Text(this PortRange port, char separator = '-') => port.IsSinglePort
        ? port.First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{port.First}{separator}{port.Last}");
}
