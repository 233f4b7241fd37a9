using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.RegularExpressions;
using FirewallRules.Cidr;

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// The special-purpose table against IANA's registries as recorded in data/iana, read here with IPNetwork2 as the oracle: every
/// block's first and last address and a random one inside are special (but private networks'), the addresses just outside a block
/// are special exactly when another block holds them; multicast, IPv6 outside the allocated unicast space and the metadata
/// services are special; IPv4-mapped addresses are.
/// </summary>
[TestFixture]
public partial class SpecialAddressesTests
{
    private static readonly string[] PrivateRows = ["Private-Use", "Shared Address Space", "Unique-Local"];

    // The registry rows as the test reads the CSV text itself: every block of every row, with its name.
    private static List<(IPNetwork2 Block, string Name)> Registry()
    {
        var rows = new List<(IPNetwork2, string)>();
        foreach (string file in new[] { "ipv4-special-registry.csv", "ipv6-special-registry.csv" })
        {
            string text = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "data", "iana", file));
            foreach (Match row in RowPattern().Matches(text))
            {
                foreach (Match block in BlockPattern().Matches(row.Groups["blocks"].Value))
                {
                    rows.Add((IPNetwork2.Parse(block.Value), row.Groups["name"].Value.Trim('"')));
                }
            }
        }

        return rows;
    }

    [Test]
    public void RegistryRows_AreAllRead()
    {
        Assert.That(Registry(), Has.Count.EqualTo(26 + 25), "26 IPv4 blocks, 25 IPv6 blocks in the 2026-07-18 registries");
    }

    [Test]
    public void EveryRegistryBlock_IsSpecialInsideAndExactlyAsTheOtherBlocksSayJustOutside()
    {
        List<(IPNetwork2 Block, string Name)> registry = Registry();
        var random = new Random(20261127);
        var failures = new List<string>();
        foreach ((IPNetwork2 block, string name) in registry)
        {
            BigInteger first = ToNumber(block.Network), last = ToNumber(block.Broadcast ?? block.LastUsable);
            BigInteger span = last - first;
            BigInteger inside = first + (span.IsZero ? 0 : new BigInteger(random.NextInt64()) % (span + 1));
            foreach (BigInteger n in new[] { first, last, inside, first - 1, last + 1 })
            {
                if (n < 0 || n > Max(block.AddressFamily))
                {
                    continue;
                }

                IPAddress address = FromNumber(n, block.AddressFamily);
                bool expected = Expected(registry, address);
                bool seen = SpecialAddresses.Find(address) is not null;
                if (seen != expected)
                {
                    failures.Add($"{address} (around {block} {name}): expected {(expected ? "special" : "not special")}");
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void All_HoldsExactlyTheSpecialAddresses_AroundEveryBlockAndBeyondTheRegistries()
    {
        List<(IPNetwork2 Block, string Name)> registry = Registry();
        var random = new Random(20261128);
        var failures = new List<string>();
        IEnumerable<IPAddress> samples = registry.SelectMany(row => Around(row.Block, random))
            .Concat(new[] { "224.0.0.1", "ff05::2", "::2", "4000::1", "::ffff:8.8.8.8", "169.254.169.254", "100.100.100.200", "100.100.100.201",
                "fd00:ec2::254", "fd00:ec2::253", "fd00:ec2::1:2", "fd00:ec3::1", "fd00:c1::a9fe:a9fe", "fd00:42::42", "fd00:a9fe:a9fe::1",
                "fd00:100::100:200", "8.8.8.8", "2600:1f18::1", "10.0.0.1" }.Select(IPAddress.Parse));
        foreach (IPAddress address in samples)
        {
            bool expected = Expected(registry, address);
            if (SpecialAddresses.All.Contains(address) != expected)
            {
                failures.Add($"{address}: expected {(expected ? "special" : "not special")}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    // A block's first and last address, one inside, and the two just outside it (within the family).
    private static IEnumerable<IPAddress> Around(IPNetwork2 block, Random random)
    {
        BigInteger first = ToNumber(block.Network), last = ToNumber(block.Broadcast ?? block.LastUsable);
        BigInteger inside = first + ((last - first).IsZero ? 0 : new BigInteger(random.NextInt64()) % (last - first + 1));
        return new[] { first, last, inside, first - 1, last + 1 }.Where(n => n >= 0 && n <= Max(block.AddressFamily)).Select(n => FromNumber(n, block.AddressFamily));
    }

    [TestCase("224.0.0.1", "Multicast")]
    [TestCase("239.255.255.255", "Multicast")]
    [TestCase("ff05::2", "Multicast")]
    [TestCase("::2", "Reserved by IETF")]
    [TestCase("4000::1", "Reserved by IETF")]
    [TestCase("fe00::1", "Reserved by IETF")]
    [TestCase("::ffff:10.20.30.40", "IPv4-mapped Address")]
    [TestCase("::ffff:8.8.8.8", "IPv4-mapped Address")]
    [TestCase("169.254.169.254", "Instance metadata")]
    [TestCase("100.100.100.200", "Instance metadata")]
    [TestCase("fd00:ec2::254", "Instance metadata")]
    [TestCase("fd00:ec2::253", "Instance metadata")]
    [TestCase("fd00:ec2:ffff:ffff:ffff:ffff:ffff:ffff", "Instance metadata")]
    [TestCase("fd00:c1::a9fe:a9fe", "Instance metadata")]
    [TestCase("192.0.0.192", "Instance metadata")]
    [TestCase("169.254.42.42", "Instance metadata")]
    [TestCase("fd00:42::42", "Instance metadata")]
    [TestCase("fd00:a9fe:a9fe::1", "Instance metadata")]
    [TestCase("fe80::a9fe:a9fe", "Instance metadata")]
    [TestCase("fd00:100::100:200", "Instance metadata")]
    [TestCase("169.254.0.23", "Instance metadata")]
    [TestCase("64:ff9b::a9fe:a9fe", "Instance metadata: 169.254.169.254 through IPv4-IPv6 Translat.")]
    [TestCase("64:ff9b:1:a9fe:a9:fe00::", "Instance metadata: 169.254.169.254 through IPv4-IPv6 Translat.")]
    [TestCase("2002:a9fe:a9fe::", "Instance metadata: 169.254.169.254 through 6to4")]
    [TestCase("::a9fe:a9fe", "Instance metadata: 169.254.169.254 through Reserved by IETF")]
    [TestCase("::ffff:169.254.169.254", "Instance metadata: 169.254.169.254 through IPv4-mapped Address")]
    [TestCase("2002:7f00:1::", "Loopback: 127.0.0.1 through 6to4")]
    [TestCase("64:ff9b::808:808", "IPv4-IPv6 Translat.")]
    [TestCase("2002:808:808::", "6to4")]
    public void BeyondTheRegistries_IsSpecial(string text, string name)
    {
        Assert.That(SpecialAddresses.Find(IPAddress.Parse(text))?.Name, Does.StartWith(name));
    }

    [TestCase("8.8.8.8")]
    [TestCase("223.255.255.255")]
    [TestCase("2600:1f18::1")]
    [TestCase("3ffe::1")]
    [TestCase("10.0.0.1")]
    [TestCase("100.100.100.201")]
    [TestCase("fd00:ec3::1")]
    [TestCase("fd00:ec1:ffff:ffff:ffff:ffff:ffff:ffff")]
    [TestCase("fd00:c1::a9fe:a9ff")]
    public void PublicOrPrivateNetworkAddress_IsNotSpecial(string text)
    {
        Assert.That(SpecialAddresses.Find(IPAddress.Parse(text)), Is.Null);
    }

    [TestCase("localhost", true)]
    [TestCase("LocalHost.", true)]
    [TestCase("a.b.localhost", true)]
    [TestCase("ip6-loopback", true)]
    [TestCase("metadata.google.internal", true)]
    [TestCase("localhost.example.com", false)]
    [TestCase("notlocalhost", false)]
    [TestCase("relay.internal", false)]
    public void SpecialName_IsFoundWhateverItsCaseAndTrailingDot(string name, bool special)
    {
        Assert.That(SpecialAddresses.FindName(name) is not null, Is.EqualTo(special));
    }

    private static bool Expected(List<(IPNetwork2 Block, string Name)> registry, IPAddress address)
    {
        // The most specific row decides; a private network's row is not special unless a metadata service is at that address.
        (IPNetwork2 Block, string Name)? best = registry.Where(r => r.Block.AddressFamily == address.AddressFamily && r.Block.Contains(address))
            .OrderByDescending(r => r.Block.Cidr).Cast<(IPNetwork2, string)?>().FirstOrDefault();
        // The metadata services as each cloud documents them, written here apart from data/iana/special-hosts.csv.
        string[] metadata = ["100.100.100.200", "fd00:ec2::254", "169.254.169.254", "169.254.170.2", "fd00:c1::a9fe:a9fe", "fd00:42::42",
            "fd00:a9fe:a9fe::1", "fd00:100::100:200"];
        bool multicast = IPNetwork2.Parse("224.0.0.0/4").Contains(address) || IPNetwork2.Parse("ff00::/8").Contains(address);
        bool unallocated = address.AddressFamily == AddressFamily.InterNetworkV6
            && !IPNetwork2.Parse("2000::/3").Contains(address) && !IPNetwork2.Parse("fc00::/7").Contains(address);
        return metadata.Contains(address.ToString()) || IPNetwork2.Parse("fd00:ec2::/32").Contains(address) || multicast
            || (best is { } row ? !PrivateRows.Contains(row.Name) : unallocated);
    }

    private static BigInteger Max(AddressFamily family) => (BigInteger.One << (family == AddressFamily.InterNetwork ? 32 : 128)) - 1;

    private static BigInteger ToNumber(IPAddress address) => new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    private static IPAddress FromNumber(BigInteger n, AddressFamily family)
    {
        int width = family == AddressFamily.InterNetwork ? 4 : 16;
        byte[] raw = n.ToByteArray(isUnsigned: true, isBigEndian: true);
        byte[] bytes = new byte[width];
        raw.CopyTo(bytes, width - raw.Length);
        return new IPAddress(bytes);
    }

    // A data row: its first cell (blocks, perhaps quoted, perhaps with a footnote mark) and its name.
    [GeneratedRegex("""^(?<blocks>"[^"]*"|[^,\n]+),(?<name>"(?:[^"]|"")*"|[^,\n]+),""", RegexOptions.Multiline)]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"[0-9a-fA-F:.]+/\d+")]
    private static partial Regex BlockPattern();
}
