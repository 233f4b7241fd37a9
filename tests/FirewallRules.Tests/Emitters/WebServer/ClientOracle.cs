using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace FirewallRules.Tests.Emitters.WebServer;

/// <summary>
/// Who a web-tier allow-list must admit, worked out without the library: the sections' prefixes read from the ip-ranges JSON
/// with System.Text.Json, each a plain integer range (first and last address as 128-bit numbers, IPv4 apart), and the client
/// of a request as the servers document it: the connection's address, or, when that is a trusted proxy, the
/// <c>X-Forwarded-For</c> addresses from the right while each is itself a trusted proxy (nginx <c>real_ip_recursive on</c>,
/// Apache mod_remoteip, HAProxy <c>set-src</c> per hop).
/// </summary>
internal sealed class ClientOracle
{
    private readonly List<AddressRange> _allowed;
    private readonly List<AddressRange> _proxies;

    private ClientOracle(List<AddressRange> allowed, List<AddressRange> proxies) => (_allowed, _proxies) = (allowed, proxies);

    /// <summary>An address range: its family and its first and last address as numbers.</summary>
    internal readonly record struct AddressRange(AddressFamily Family, UInt128 First, UInt128 Last)
    {
        public bool Contains(IPAddress address) => address.AddressFamily == Family && Number(address) is var n && n >= First && n <= Last;

        /// <summary>Reads <c>ADDRESS/LENGTH</c> (or a bare address) the way any reader of the document would.</summary>
        public static AddressRange Parse(string text)
        {
            string[] parts = text.Split('/');
            IPAddress address = IPAddress.Parse(parts[0]);
            int bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            int length = parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : bits;
            UInt128 size = length == 0 ? UInt128.MaxValue : (UInt128.One << (bits - length)) - 1;
            UInt128 first = Number(address) & ~size;
            return new(address.AddressFamily, first, first + size);
        }
    }

    /// <summary>
    /// The oracle for <paramref name="sections"/> of the ip-ranges document at <paramref name="documentPath"/>, in the families
    /// <paramref name="ipv4"/> and <paramref name="ipv6"/> say.
    /// </summary>
    public static ClientOracle From(string documentPath, IEnumerable<string> sections, bool ipv4, bool ipv6, IEnumerable<string> trustedProxies)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(documentPath));
        var allowed = new List<AddressRange>();
        foreach (string section in sections)
        {
            JsonElement entry = document.RootElement.GetProperty(section);
            foreach ((string key, bool wanted) in new[] { ("prefixes_ipv4", ipv4), ("prefixes_ipv6", ipv6) })
            {
                allowed.AddRange(wanted ? entry.GetProperty(key).EnumerateArray().Select(p => AddressRange.Parse(p.GetString()!)) : []);
            }
        }

        return new(allowed, [.. trustedProxies.Select(AddressRange.Parse)]);
    }

    /// <summary>Whether <paramref name="address"/> is in one of the plan's ranges.</summary>
    public bool Allows(IPAddress address) => _allowed.Exists(range => range.Contains(address));

    /// <summary>Whether <paramref name="address"/> is a trusted proxy's.</summary>
    public bool Trusts(IPAddress address) => _proxies.Exists(range => range.Contains(address));

    /// <summary>The plan's ranges, for drawing addresses in and around them.</summary>
    public IReadOnlyList<AddressRange> Ranges => _allowed;

    /// <summary>The client a request from <paramref name="connection"/> carrying <paramref name="forwardedFor"/> (left to right) stands for.</summary>
    public IPAddress Client(IPAddress connection, IReadOnlyList<IPAddress> forwardedFor)
    {
        IPAddress client = connection;
        for (int next = forwardedFor.Count - 1; next >= 0 && Trusts(client); next--)
        {
            client = forwardedFor[next];
        }

        return client;
    }

    /// <summary>Whether a request from <paramref name="connection"/> carrying <paramref name="forwardedFor"/> must be admitted.</summary>
    public bool Admits(IPAddress connection, IReadOnlyList<IPAddress> forwardedFor) => Allows(Client(connection, forwardedFor));

    /// <summary>The plan's ranges with overlapping and adjacent ones joined, each as the fewest CIDR blocks: what an exact aggregate must list.</summary>
    public IEnumerable<AddressRange> Exact()
    {
        var merged = new List<AddressRange>();
        foreach (AddressRange range in _allowed.OrderBy(r => r.Family).ThenBy(r => r.First))
        {
            if (merged.Count > 0 && merged[^1].Family == range.Family && range.First <= merged[^1].Last + 1)
            {
                merged[^1] = merged[^1] with { Last = UInt128.Max(merged[^1].Last, range.Last) };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged.SelectMany(Split);
    }

    // A range as the fewest CIDR blocks, largest first: how it must be listed.
    private static IEnumerable<AddressRange> Split(AddressRange range)
    {
        int bits = range.Family == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        for (UInt128 first = range.First; first <= range.Last;)
        {
            int size = 0;
            while (size < bits && (first & ((UInt128.One << (size + 1)) - 1)) == 0 && first + ((UInt128.One << (size + 1)) - 1) <= range.Last)
            {
                size++;
            }

            yield return new(range.Family, first, first + ((UInt128.One << size) - 1));
            if (first + ((UInt128.One << size) - 1) == UInt128.MaxValue)
            {
                yield break;
            }

            first += UInt128.One << size;
        }
    }

    /// <summary>An address as a number (IPv4 in the low 32 bits).</summary>
    public static UInt128 Number(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        UInt128 number = UInt128.Zero;
        foreach (byte b in bytes)
        {
            number = (number << 8) | b;
        }

        return number;
    }

    /// <summary>The address of <paramref name="number"/> in <paramref name="family"/>.</summary>
    public static IPAddress Address(UInt128 number, AddressFamily family)
    {
        byte[] bytes = new byte[family == AddressFamily.InterNetwork ? 4 : 16];
        for (int i = bytes.Length - 1; i >= 0; i--, number >>= 8)
        {
            bytes[i] = (byte)(number & 0xff);
        }

        return new IPAddress(bytes);
    }
}
