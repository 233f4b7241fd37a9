using System.Net;
using System.Net.Sockets;
using Microsoft.VisualBasic.FileIO;

namespace FirewallRules.Cidr;

/// <summary>
/// The addresses and names that are never a place to send data to: IANA's IPv4 and IPv6 Special-Purpose Address Registries
/// (loopback, unspecified, link-local, broadcast, documentation, benchmarking, IPv4-mapped and translated IPv6, ...), multicast,
/// IPv6 outside the unicast space IANA allocates, the cloud instance metadata services and the loopback names (the files
/// <c>data/iana/*.csv</c>, embedded, with their sources in <c>data/PROVENANCE.md</c>).
/// </summary>
/// <remarks>
/// Three rows of the registries are where private networks number their own hosts, and so where relays and proxies live:
/// Private-Use (10/8, 172.16/12, 192.168/16), Shared Address Space (100.64/10) and Unique-Local (fc00::/7). They are not
/// special here; the metadata services inside them (Alibaba's 100.100.100.200, EC2's fd00:ec2::254) are.
/// </remarks>
internal static class SpecialAddresses
{
    /// <summary>A block of the registries, or a name, and what it is (the registry's name for it).</summary>
    public sealed record Entry(string Name, bool IsMetadataService, bool IsLoopback)
    {
        /// <summary>The special IPv4 address an IPv6 address stands for (<see cref="EmbeddedIPv4"/>), which it is classified as; else null.</summary>
        public IPAddress? Embedded { get; init; }
    }

    private static readonly string[] PrivateNetworks = ["Private-Use", "Shared Address Space", "Unique-Local"];

    // IANA IPv6 Address Space Registry: 2000::/3 is Global Unicast and fc00::/7 Unique Local Unicast; fe80::/10 and ff00::/8 are
    // in the special-purpose and special-hosts rows; everything else is Reserved by IETF.
    private static readonly Block[] AllocatedIPv6 = [Block.Parse("2000::/3"), Block.Parse("fc00::/7")];

    private static readonly ((Block Block, Entry Entry)[] Blocks, Dictionary<string, Entry> Names) Data = Load();

    // The registries' rows (their names) through which a host reaches another family: NAT64, Teredo, 6to4 and its relays.
    private static readonly string[] TranslationRows =
        ["IPv4-IPv6 Translat.", "TEREDO", "6to4", "Deprecated (6to4 Relay Anycast)", "6a44-relay anycast address"];

    private static readonly Lazy<PrefixSet> Every = new(Special);

    private const string Unallocated = "Reserved by IETF (outside the unicast space IANA allocates)";

    private static readonly Lazy<(IPNetwork Block, string Name)[]> NeverPublic = new(() =>
    [
        .. Data.Blocks.Select(b => (b.Block.Network, b.Entry.Name)),
        .. PrefixSet.Parse("::/0").Except(PrefixSet.Create(AllocatedIPv6.Select(b => b.Network))).Select(block => (block, Unallocated)),
    ]);

    /// <summary>
    /// Every block no vendor's public ranges hold, each with its name as the registries give it: every block of the registries
    /// and of the special hosts, the private networks' too, and IPv6 outside the unicast space IANA allocates (2000::/3 and
    /// fc00::/7: site-local <c>fec0::/10</c>, IPv4-compatible <c>::/96</c>, <c>4000::/2</c>... are Reserved by IETF).
    /// </summary>
    public static IReadOnlyList<(IPNetwork Block, string Name)> NotPublic => NeverPublic.Value;

    /// <summary>
    /// The blocks where a connection can come from any IPv4 host on the Internet, through a gateway or relay anyone may use
    /// (NAT64's 64:ff9b::/96 and 64:ff9b:1::/48, Teredo's 2001::/32, 6to4's 2002::/16 and its relays' 192.88.99.0/24): an
    /// address in one never stands for one machine.
    /// </summary>
    public static PrefixSet Translation { get; } =
        PrefixSet.Create(Data.Blocks.Where(b => TranslationRows.Contains(b.Entry.Name, StringComparer.Ordinal)).Select(b => b.Block.Network));

    /// <summary>
    /// Every address <see cref="Find"/> calls special, as one set (IPv4-mapped IPv6 included, as IPv6): where a name an allow-list
    /// holds must never lead, whatever it resolves to.
    /// </summary>
    public static PrefixSet All => Every.Value;

    /// <summary>
    /// What <paramref name="address"/> is when it is special (the most specific block holding it), else null: an address in a
    /// private network's range (10/8, fc00::/7, ...) is not special, unless it is a metadata service's. An IPv6 address that
    /// stands for a special IPv4 address (<see cref="EmbeddedIPv4"/>: <c>64:ff9b::a9fe:a9fe</c>, <c>2002:7f00:1::</c>) is what that
    /// address is (a metadata service first, then loopback), named with the block it goes through.
    /// </summary>
    public static Entry? Find(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Direct(address) is not { } direct)
        {
            return null;
        }

        (IPAddress Address, Entry Entry)[] embedded = [.. EmbeddedIPv4.Of(address)
            .Select(v4 => (Address: v4, Entry: Direct(v4)))
            .Where(found => found.Entry is not null)
            .Select(found => (found.Address, found.Entry!))
            .OrderByDescending(found => found.Item2.IsMetadataService).ThenByDescending(found => found.Item2.IsLoopback)];
        return embedded is [var (v4, entry), ..]
            ? entry with { Name = $"{entry.Name}: {v4} through {direct.Name}", Embedded = v4 }
            : direct;
    }

    private static Entry? Direct(IPAddress address)
    {
        (Block Block, Entry Entry)? best = null;
        foreach ((Block block, Entry entry) in Data.Blocks)
        {
            if (block.Contains(address) && (best is null || block.Length > best.Value.Block.Length))
            {
                best = (block, entry);
            }
        }

        if (best is { } found)
        {
            return PrivateNetworks.Contains(found.Entry.Name, StringComparer.Ordinal) ? null : found.Entry;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && !AllocatedIPv6.Any(block => block.Contains(address))
            ? new Entry(Unallocated, IsMetadataService: false, IsLoopback: false)
            : null;
    }

    /// <summary>
    /// What the host name <paramref name="name"/> is when it is special (<c>localhost</c> and every name under <c>.localhost</c>,
    /// Debian's <c>ip6-localhost</c>, the metadata services' names), else null. Case and a trailing dot do not matter.
    /// </summary>
    public static Entry? FindName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.TrimEnd('.').ToLowerInvariant();
        return Data.Names.TryGetValue(key, out Entry? entry) ? entry
            : key.EndsWith(".localhost", StringComparison.Ordinal) ? Data.Names["localhost"]
            : null;
    }

    // The registries' blocks but the private networks', and IPv6 outside the allocated unicast space, less the private networks;
    // then the special blocks inside a private network (a metadata service at 100.100.100.200, fd00:ec2::254), the more specific.
    private static PrefixSet Special()
    {
        static bool IsPrivate(Entry entry) => PrivateNetworks.Contains(entry.Name, StringComparer.Ordinal);
        (Block Block, Entry Entry)[] blocks = Data.Blocks;
        PrefixSet privateNetworks = PrefixSet.Create(blocks.Where(b => IsPrivate(b.Entry)).Select(b => b.Block.Network));
        PrefixSet unallocated = PrefixSet.Parse("::/0").Except(PrefixSet.Create(AllocatedIPv6.Select(b => b.Network)));
        PrefixSet special = PrefixSet.Create(blocks.Where(b => !IsPrivate(b.Entry)).Select(b => b.Block.Network)).Union(unallocated);
        PrefixSet nested = PrefixSet.Create(blocks.Where(b => !IsPrivate(b.Entry) && blocks.Any(p => IsPrivate(p.Entry) && p.Block.Covers(b.Block)))
            .Select(b => b.Block.Network));
        return special.Except(privateNetworks).Union(nested);
    }

    private static ((Block, Entry)[], Dictionary<string, Entry>) Load()
    {
        var blocks = new List<(Block, Entry)>();
        var names = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (string[] row in Rows("ipv4-special-registry.csv").Concat(Rows("ipv6-special-registry.csv")))
        {
            // "192.0.0.0/24 [2]" carries a footnote mark; "192.0.0.170/32, 192.0.0.171/32" is two blocks in one cell.
            foreach (string cell in row[0].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                blocks.Add((Block.Parse(cell.Split(' ')[0]), new Entry(row[1], IsMetadataService: false, IsLoopback: row[1].StartsWith("Loopback", StringComparison.Ordinal))));
            }
        }

        foreach (string[] row in Rows("special-hosts.csv"))
        {
            var entry = new Entry(row[1], IsMetadataService: row[1] == "Instance metadata", IsLoopback: row[1] == "Loopback");
            if (row[0].Contains('/', StringComparison.Ordinal) || IPAddress.TryParse(row[0], out _))
            {
                blocks.Add((Block.Parse(row[0]), entry));
            }
            else
            {
                names.Add(row[0], entry);
            }
        }

        return ([.. blocks], names);
    }

    // The embedded CSV files as IANA writes them: quoted cells, some over two lines; the header row skipped.
    private static List<string[]> Rows(string file)
    {
        using Stream stream = typeof(SpecialAddresses).Assembly.GetManifestResourceStream($"FirewallRules.Cidr.{file}")
            ?? throw new InvalidDataException($"the embedded {file} is missing");
        using var parser = new TextFieldParser(stream) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        _ = parser.ReadFields();
        var rows = new List<string[]>();
        while (parser.ReadFields() is string[] fields)
        {
            rows.Add(fields);
        }

        return rows;
    }

    // A block of addresses as bits: System.Net.IPNetwork.Contains says no for every IPv4-mapped address (::ffff:10.0.0.1 is in
    // ::ffff:0:0/96), which is the one this table must say yes for.
    private readonly record struct Block(AddressFamily Family, UInt128 Bits, int Length)
    {
        public static Block Parse(string text)
        {
            string[] parts = text.Split('/');
            IPAddress address = IPAddress.Parse(parts[0]);
            int width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            return new Block(address.AddressFamily, BitsOf(address), parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : width);
        }

        /// <summary>The block as a prefix.</summary>
        public IPNetwork Network
        {
            get
            {
                byte[] bytes = new byte[Family == AddressFamily.InterNetwork ? 4 : 16];
                UInt128 bits = Bits;
                for (int i = bytes.Length - 1; i >= 0; i--)
                {
                    bytes[i] = (byte)(bits & 0xff);
                    bits >>= 8;
                }

                return new IPNetwork(new IPAddress(bytes), Length);
            }
        }

        /// <summary>Whether <paramref name="other"/> lies wholly inside this block.</summary>
        public bool Covers(Block other)
        {
            int width = Family == AddressFamily.InterNetwork ? 32 : 128;
            return other.Family == Family && other.Length >= Length && (Length == 0 || (other.Bits ^ Bits) >> (width - Length) == 0);
        }

        public bool Contains(IPAddress address)
        {
            int width = Family == AddressFamily.InterNetwork ? 32 : 128;
            return address.AddressFamily == Family && (Length == 0 || (BitsOf(address) ^ Bits) >> (width - Length) == 0);
        }

        private static UInt128 BitsOf(IPAddress address)
        {
            UInt128 bits = 0;
            foreach (byte b in address.GetAddressBytes())
            {
                bits = (bits << 8) | b;
            }

            return bits;
        }
    }
}
