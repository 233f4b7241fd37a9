using System.Globalization;

namespace FirewallRules.Rules;

/// <summary>A protocol and a port or inclusive range of ports, such as <c>443/tcp</c> or <c>8125/udp</c>.</summary>
/// <remarks>Immutable. The port is always the destination port: the remote service for egress, the local listener for ingress.</remarks>
public readonly record struct PortRange : IComparable<PortRange>
{
    /// <summary>Creates a range of ports.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1-65535, or <paramref name="last"/> is below <paramref name="first"/>.</exception>
    public PortRange(TransportProtocol protocol, int first, int last)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        Protocol = protocol;
        First = first;
        Last = last;
    }

    /// <summary>Creates a single port.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1-65535.</exception>
    public PortRange(TransportProtocol protocol, int port)
        : this(protocol, port, port)
    {
    }

    /// <summary>The protocol.</summary>
    public TransportProtocol Protocol { get; }

    /// <summary>The first port.</summary>
    public int First { get; }

    /// <summary>The last port (equal to <see cref="First"/> for a single port).</summary>
    public int Last { get; }

    /// <summary>Whether this is one port rather than a range.</summary>
    public bool IsSinglePort => First == Last;

    /// <summary>443/tcp: HTTPS, what the Agent uses for most data.</summary>
    public static PortRange Https { get; } = new(TransportProtocol.Tcp, 443);

    /// <summary>
    /// Reads <c>443</c> (TCP), <c>443/tcp</c>, <c>8125/udp</c> or <c>8000-8100/tcp</c>.
    /// </summary>
    /// <exception cref="FormatException">The text is not a port, a protocol or a range as above.</exception>
    public static PortRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split('/');
        TransportProtocol protocol = TransportProtocol.Tcp;
        if (parts.Length == 2)
        {
            protocol = parts[1].ToLowerInvariant() switch
            {
                "tcp" => TransportProtocol.Tcp,
                "udp" => TransportProtocol.Udp,
                _ => throw new FormatException($"'{text}': the protocol must be tcp or udp"),
            };
        }
        else if (parts.Length != 1)
        {
            throw new FormatException($"'{text}' is not a port: write 443, 443/tcp, 123/udp or 8000-8100/tcp");
        }

        string[] bounds = parts[0].Split('-');
        if (bounds.Length > 2 || !bounds.All(IsPort))
        {
            throw new FormatException($"'{text}' is not a port: write 443, 443/tcp, 123/udp or 8000-8100/tcp (ports 1-65535)");
        }

        int first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
        int last = bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
        return last >= first ? new PortRange(protocol, first, last) : throw new FormatException($"'{text}': the range ends before it starts");

        static bool IsPort(string value) =>
            value.Length is > 0 and <= 5 && value.All(char.IsAsciiDigit) && value[0] != '0'
            && int.Parse(value, CultureInfo.InvariantCulture) <= 65535;
    }

    /// <summary>Orders by protocol, then first port, then last port.</summary>
    public int CompareTo(PortRange other)
    {
        int byProtocol = Protocol.CompareTo(other.Protocol);
        return byProtocol != 0 ? byProtocol : First != other.First ? First.CompareTo(other.First) : Last.CompareTo(other.Last);
    }

    /// <summary>For example <c>443/tcp</c> or <c>8000-8100/udp</c>.</summary>
    public override string ToString() => $"{this.Text()}/{Protocol.Keyword()}";

    /// <summary>Compares by protocol, then ports.</summary>
    public static bool operator <(PortRange left, PortRange right) => left.CompareTo(right) < 0;

    /// <summary>Compares by protocol, then ports.</summary>
    public static bool operator <=(PortRange left, PortRange right) => left.CompareTo(right) <= 0;

    /// <summary>Compares by protocol, then ports.</summary>
    public static bool operator >(PortRange left, PortRange right) => left.CompareTo(right) > 0;

    /// <summary>Compares by protocol, then ports.</summary>
    public static bool operator >=(PortRange left, PortRange right) => left.CompareTo(right) >= 0;
}
