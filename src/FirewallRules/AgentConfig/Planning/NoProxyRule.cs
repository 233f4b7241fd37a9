using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Whether the agent's HTTP client sends a URL past its proxy, as the agent decides it: the one rule the plan, and through
/// it every output (squid, domains, the Network Firewall domain list, Cilium), follows.
/// </summary>
/// <remarks>
/// Source: the agent's <c>GetProxyTransportFunc</c> (DataDog/datadog-agent pkg/util/http/transport.go). By default an entry
/// of <c>no_proxy</c> must equal the URL's <c>Host</c> as written (<c>host:port</c> when the URL names a port). With
/// <c>no_proxy_nonexact_match</c> the agent hands the list, joined with commas, to golang.org/x/net/http/httpproxy
/// (<c>Config.ProxyFunc</c>: <c>init</c>, <c>useProxy</c> and its matchers), which this class follows: <c>localhost</c> and
/// loopback addresses never use the proxy; each entry is trimmed and lowercased; <c>*</c> matches everything; an address
/// with a prefix length (<c>10.0.0.0/8</c>) matches the addresses it holds, on any port; an address (<c>10.1.2.3</c>,
/// <c>[2001:db8::1]:443</c>) matches that address, on its port when it names one; any other entry is a domain:
/// <c>example.com</c> matches it and its subdomains, <c>.example.com</c> and <c>*.example.com</c> its subdomains only, on
/// the entry's port when it names one; a domain entry never matches an address.
/// </remarks>
internal static class NoProxyRule
{
    /// <summary>What sends <paramref name="host"/>:<paramref name="port"/> past the proxy (the entry, or why); null when the proxy carries it.</summary>
    /// <param name="entries">The no_proxy entries, as the agent read them.</param>
    /// <param name="nonExact">Whether <c>no_proxy_nonexact_match</c> is on.</param>
    /// <param name="scheme">The URL's scheme (<c>https</c> or <c>http</c>), which gives the port a URL that names none is on.</param>
    /// <param name="host">The URL's host name or address.</param>
    /// <param name="port">The port the agent connects to.</param>
    public static string? Direct(IEnumerable<string> entries, bool nonExact, string scheme, string host, int port)
    {
        string portText = port.ToString(CultureInfo.InvariantCulture);
        if (!nonExact)
        {
            // The URL's Host as Go's url.URL holds it: the port only when the URL names one.
            string written = port == (scheme == "https" ? 443 : 80) ? host : $"{host}:{portText}";
            return entries.FirstOrDefault(entry => string.Equals(entry, written, StringComparison.OrdinalIgnoreCase));
        }

        string name = Ascii(host.Trim().Trim('[', ']').ToLowerInvariant());
        IPAddress? address = ParseIp(name);
        if (name == "localhost" || (address is not null && IPAddress.IsLoopback(address)))
        {
            return "localhost and loopback addresses, which never use the proxy";
        }

        foreach (string raw in entries.SelectMany(entry => entry.Split(',')))
        {
            string entry = raw.Trim().ToLowerInvariant();
            if (entry.Length > 0 && (entry == "*" || Matches(entry, name, portText, address)))
            {
                return raw.Trim();
            }
        }

        return null;
    }

    // One entry, as httpproxy's init sorts it (CIDR, address[:port], domain[:port]) and its matcher compares it.
    private static bool Matches(string entry, string host, string port, IPAddress? address)
    {
        if (entry.Contains('/', StringComparison.Ordinal))
        {
            return ParseCidr(entry) is (IPAddress network, int bits) && address is not null && Contains(network, bits, address);
        }

        (string entryHost, string entryPort) = SplitHostPort(entry) is (string h, string p) ? (h, p) : (entry, string.Empty);
        if (entryHost.Length == 0)
        {
            return false;
        }

        if (ParseIp(entryHost) is IPAddress entryAddress)
        {
            return address is not null && Normal(entryAddress).Equals(Normal(address)) && (entryPort.Length == 0 || entryPort == port);
        }

        string domain = entryHost.StartsWith("*.", StringComparison.Ordinal) ? entryHost[1..] : entryHost;
        bool matchHost = domain[0] != '.';
        domain = "." + Ascii(matchHost ? domain : domain[1..]);
        bool named = host.EndsWith(domain, StringComparison.Ordinal) || (matchHost && host == domain[1..]);
        return address is null && named && (entryPort.Length == 0 || entryPort == port);
    }

    // Go's net.SplitHostPort: host:port, or [v6]:port; null when the text is not one (no port, or a bare IPv6 address).
    private static (string Host, string Port)? SplitHostPort(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return null;
        }

        string host;
        int after;
        if (text[0] == '[')
        {
            int end = text.IndexOf(']', StringComparison.Ordinal);
            if (end < 0 || end + 1 != colon)
            {
                return null;
            }

            (host, after) = (text[1..end], end + 1);
        }
        else
        {
            host = text[..colon];
            after = 0;
            if (host.Contains(':', StringComparison.Ordinal))
            {
                return null;
            }
        }

        return text[(text[0] == '[' ? 1 : 0)..].Contains('[', StringComparison.Ordinal) || text[after..].Contains(']', StringComparison.Ordinal)
            ? null
            : (host, text[(colon + 1)..]);
    }

    // Go's net.ParseIP: a dotted quad of decimal bytes without leading zeros, or an IPv6 address without a zone.
    private static IPAddress? ParseIp(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return text.IndexOfAny(['%', '[', ']']) < 0 && IPAddress.TryParse(text, out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? v6 : null;
        }

        string[] parts = text.Split('.');
        bool quad = parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0')
            && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
        return quad ? IPAddress.Parse(text) : null;
    }

    // Go's net.ParseCIDR: an address and a prefix length that fits it.
    private static (IPAddress, int)? ParseCidr(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string length = text[(slash + 1)..];
        return ParseIp(text[..slash]) is IPAddress network && length.Length > 0 && length.All(char.IsAsciiDigit)
            && int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out int bits) && bits <= network.GetAddressBytes().Length * 8
            ? (network, bits) : null;
    }

    private static bool Contains(IPAddress network, int bits, IPAddress address)
    {
        // An IPv4-mapped network holds IPv4 addresses: its length counts the 96 bits of the mapping. Host bits are cleared, as
        // Go's ParseCIDR masks them.
        bits = network.IsIPv4MappedToIPv6 ? Math.Max(0, bits - 96) : bits;
        return PrefixSet.Parse(string.Create(CultureInfo.InvariantCulture, $"{Normal(network)}/{bits}"), Cidr.PrefixParseOptions.ClearHostBits)
            .Contains(Normal(address));
    }

    // Go compares an IPv4-mapped IPv6 address as the IPv4 address it maps (net.IP.To4).
    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    // httpproxy compares international names in their ASCII form (idna.Lookup.ToASCII), leaving a name it cannot convert as it is.
    private static string Ascii(string name)
    {
        if (name.All(char.IsAscii))
        {
            return name;
        }

        try
        {
            return new IdnMapping().GetAscii(name);
        }
        catch (ArgumentException)
        {
            return name;
        }
    }
}
