using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// ip-ranges documents drawn to reach the edges Datadog's own rarely do, each shape at a random place of public space, in one
/// section or across two: two blocks side by side (which merge), two ranges one address apart (which must not), a block inside
/// another, a prefix written twice, an IPv4 block beside the IPv6 block of the same low bits (<c>2000::a.b.c.d</c>: a document
/// publishes IPv6 only in 2000::/3) and the last public IPv4 address beside the lowest IPv6 one, the first and last addresses a document
/// may publish (the edges of the space: 1.0.0.0 and 223.255.255.255, 2000:: and 3fff:...:ffff, and 2001:200:: and 3fff:1000:: just past
/// the IETF's 2001::/23 and the documentation 3fff::/20), the widest blocks allowed (/8, /16), and single addresses
/// (/32, /128). Every section drawn holds both families. What each shape is, is said in the plan's title.
/// </summary>
internal static class EdgeDocuments
{
    /// <summary>The sections a drawn document has: three reached from your hosts (logs on two ports) and one that connects to you.</summary>
    public static readonly string[] Sections = ["agents", "logs", "api", "webhooks"];

    private static readonly string[] Anchors4 = ["3.0.0.0/8", "13.0.0.0/8", "18.0.0.0/8", "34.0.0.0/8", "44.0.0.0/8", "52.0.0.0/8", "54.0.0.0/8", "107.0.0.0/8"];
    private static readonly string[] Anchors6 = ["2600:1f00::/24", "2a05:d000::/24", "2406:da00::/24", "2620:100::/24"];

    /// <summary>
    /// A document of version <paramref name="version"/>: every shape once, each in one or two random sections, then each section
    /// given a single address of either family it lacks. Returns its JSON and the shapes drawn, one a line, for messages.
    /// </summary>
    public static (string Json, string Shapes) Draw(Random random, long version)
    {
        var sections = Sections.ToDictionary(s => s, _ => new List<string>());
        var shapes = new List<string>();
        foreach ((string name, string[] blocks) in Shapes(random))
        {
            string first = random.GetItems(Sections, 1)[0], second = random.Next(3) == 0 ? random.GetItems(Sections, 1)[0] : first;
            for (int i = 0; i < blocks.Length; i++)
            {
                sections[i % 2 == 0 ? first : second].Add(blocks[i]);
            }

            shapes.Add($"{name}: {string.Join(' ', blocks)} in {first}{(second == first ? string.Empty : $" and {second}")}");
        }

        var root = new JsonObject
        {
            ["version"] = version,
            ["modified"] = new DateTime(2025, 1, 1).AddHours(version).ToString("yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture),
        };
        foreach ((string section, List<string> blocks) in sections)
        {
            blocks.AddRange(blocks.Any(b => !b.Contains(':', StringComparison.Ordinal)) ? [] : [$"{Random(random, Anchors4)}/32"]);
            blocks.AddRange(blocks.Any(b => b.Contains(':', StringComparison.Ordinal)) ? [] : [$"{Random(random, Anchors6)}/128"]);
            random.Shuffle(CollectionsMarshalSpan(blocks));
            root[section] = new JsonObject
            {
                ["prefixes_ipv4"] = new JsonArray([.. blocks.Where(b => !b.Contains(':', StringComparison.Ordinal)).Select(b => JsonValue.Create(b))]),
                ["prefixes_ipv6"] = new JsonArray([.. blocks.Where(b => b.Contains(':', StringComparison.Ordinal)).Select(b => JsonValue.Create(b))]),
            };
        }

        return (root.ToJsonString(), string.Join("\n", shapes));
    }

    private static IEnumerable<(string Name, string[] Blocks)> Shapes(Random random)
    {
        foreach (bool v6 in new[] { false, true })
        {
            (IPAddress a, int length) = Aligned(random, v6, v6 ? random.Next(100, 125) : random.Next(20, 29));
            yield return ("side by side", [Cidr(a, length), Cidr(Offset(a, Size(v6, length)), length)]);
            (IPAddress b, int lengthB) = Aligned(random, v6, v6 ? random.Next(100, 126) : random.Next(22, 30));
            // b's block, then one address past the address after it: the address between belongs to neither.
            yield return ("one address apart", [Cidr(b, lengthB), Cidr(Offset(b, Size(v6, lengthB) + 1), v6 ? 128 : 32)]);
            (IPAddress c, int lengthC) = Aligned(random, v6, v6 ? random.Next(96, 120) : random.Next(16, 24));
            int inner = lengthC + random.Next(1, 9);
            yield return ("nested", [Cidr(c, lengthC), Cidr(Offset(c, Size(v6, inner) * (UInt128)random.Next(0, 1 << (inner - lengthC))), inner)]);
            (IPAddress d, int lengthD) = Aligned(random, v6, v6 ? random.Next(48, 129) : random.Next(16, 33));
            yield return ("written twice", [Cidr(d, lengthD), Cidr(d, lengthD)]);
            yield return ("single address", [Cidr(Random(random, v6 ? Anchors6 : Anchors4), v6 ? 128 : 32)]);
        }

        (IPAddress e, int lengthE) = Aligned(random, false, random.Next(16, 29));
        UInt128 numbers = AddressSet.Number(e);
        // A document publishes IPv6 only in 2000::/3: the IPv6 block of the same low 32 bits is the one of 2000::/96, 2000::a.b.c.d.
        yield return ("IPv4 and the IPv6 block of the same low bits", [Cidr(e, lengthE), $"2000::{numbers >> 16:x}:{numbers & 0xffff:x}/{96 + lengthE}"]);
        yield return ("the last public IPv4 address and the lowest IPv6 address a document may publish", ["223.255.255.255/32", "2000::/128"]);
        yield return ("the first and last addresses a document may publish", ["1.0.0.0/32", "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"]);
        yield return ("the IPv6 addresses just past the IETF's 2001::/23 and the documentation 3fff::/20", ["2001:200::/128", "3fff:1000::/128"]);
        yield return ("the widest blocks a document may publish", [random.Next(2) == 0 ? "44.0.0.0/8" : "107.0.0.0/8", "2a05::/16"]);
    }

    // A random block of the given length inside one of the anchors.
    private static (IPAddress Address, int Length) Aligned(Random random, bool v6, int length)
    {
        IPAddress inside = Random(random, v6 ? Anchors6 : Anchors4);
        UInt128 value = AddressSet.Number(inside) & ~(Size(v6, length) - 1);
        return (AddressSet.Address(value, v6), length);
    }

    private static IPAddress Random(Random random, string[] anchors)
    {
        AddressSet.Span span = AddressSet.Block(random.GetItems(anchors, 1)[0]);
        UInt128 draw = ((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64();
        return AddressSet.Address(span.First + (draw % (span.Last - span.First + 1)), span.V6);
    }

    private static UInt128 Size(bool v6, int length) => UInt128.One << ((v6 ? 128 : 32) - length);

    private static IPAddress Offset(IPAddress address, UInt128 by) => AddressSet.Address(AddressSet.Number(address) + by, AddressSet.IsV6(address));

    private static string Cidr(IPAddress address, int length) => $"{address}/{length}";

    private static Span<string> CollectionsMarshalSpan(List<string> list) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
}
