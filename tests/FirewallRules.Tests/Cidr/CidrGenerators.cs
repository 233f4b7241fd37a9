using FsCheck;
using FsCheck.Fluent;

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// Random prefix sets that hit the hard cases often: clusters around one anchor (so nesting, duplicates,
/// adjacency and siblings are common), anchors at the very bottom and top of the space, and lengths
/// from /0 to full width.
/// </summary>
public static class CidrGenerators
{
    private static readonly Gen<uint> Word = Gen.Choose(int.MinValue, int.MaxValue).Select(i => unchecked((uint)i));

    private static readonly Gen<UInt128> Random128 =
        Gen.Zip(Gen.Zip(Word, Word), Gen.Zip(Word, Word))
            .Select(t => new UInt128(((ulong)t.Item1.Item1 << 32) | t.Item1.Item2, ((ulong)t.Item2.Item1 << 32) | t.Item2.Item2));

    public static Gen<UInt128> Anchor(int width) => Gen.Frequency(
        (2, Gen.Constant(UInt128.Zero)),
        (2, Gen.Constant(ModelPrefix.Max(width))),
        (6, Random128.Select(v => v & ModelPrefix.Max(width))));

    public static Gen<ModelPrefix> Prefix(int width, UInt128 anchor) =>
        from length in Gen.Frequency(
            (1, Gen.Choose(0, 2)),
            (2, Gen.Choose(3, width)),
            (7, Gen.Choose(width - 10, width)))
        from noise in Gen.Choose(0, 0xFFF)
        let address = (anchor ^ (UInt128)(uint)noise) & ModelPrefix.Max(width) & ~ModelPrefix.HostMask(width, length)
        select new ModelPrefix(width, address, length);

    public static Gen<ModelPrefix[]> Cluster(int width) =>
        from anchor in Anchor(width)
        from count in Gen.Choose(0, 12)
        from prefixes in Gen.ArrayOf(Prefix(width, anchor), count)
        select prefixes;

    /// <summary>IPv4, IPv6 or both in one list.</summary>
    public static Gen<ModelPrefix[]> AnySet() => Gen.Frequency(
        (4, Cluster(32)),
        (4, Cluster(128)),
        (2, Gen.Zip(Cluster(32), Cluster(128)).Select(t => t.Item1.Concat(t.Item2).ToArray())));

    /// <summary>
    /// Lines of IPv4 and IPv6 prefixes, with the near misses a strict reader must catch: leading zeros, octets over
    /// 255, lengths over the width, host bits, missing parts, groups too long or in upper case, "::" anywhere, CR,
    /// spaces, comments.
    /// </summary>
    public static Arbitrary<TextLines> TextLines()
    {
        Gen<string> octet = Gen.Frequency(
            (8, Gen.Choose(0, 255).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (1, Gen.Elements("00", "01", "007", "256", "999", "1000", "", "x")));
        Gen<string> length = Gen.Frequency(
            (3, Gen.Constant(string.Empty)),
            (8, Gen.Elements(24, 32, 16, 31, 8).Select(i => "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (2, Gen.Choose(0, 40).Select(i => "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (1, Gen.Elements("/", "/00", "/08", "/033", "/3 2", "//24")));
        Gen<string> address = Gen.Frequency(
            (9, Gen.ArrayOf(octet, 4).Select(o => string.Join('.', o))),
            (1, Gen.Elements("1.2.3", "1.2.3.4.5", "2001:db8::", "::ffff:1.2.3.4", "1.2.3.4:80", "")));
        Gen<string> ending = Gen.Frequency(
            (8, Gen.Constant(string.Empty)),
            (1, Gen.Elements("\r", " ", "\t", " # note", "#", "\r\r", "x", ".")));
        Gen<string> hex = Gen.Frequency(
            (6, Gen.Choose(0, 0xFFFF).Select(i => i.ToString("x", System.Globalization.CultureInfo.InvariantCulture))),
            (4, Gen.Constant("0")),
            (1, Gen.Elements("00", "0db8", "DB8", "Ab", "12345", "", "g", "1.2.3.4", "ffff")));
        Gen<string> ipv6 =
            from count in Gen.Choose(0, 9)
            from groups in Gen.ArrayOf(hex, count)
            from compressAt in Gen.Choose(-4, count)
            select compressAt < 0 ? string.Join(':', groups) : string.Join(':', groups[..compressAt]) + "::" + string.Join(':', groups[compressAt..]);
        Gen<string> ipv6Length = Gen.Frequency(
            (6, Gen.Elements(string.Empty, "/128")),
            (3, Gen.Choose(0, 130).Select(i => "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (1, Gen.Elements("/", "/048", "/1280", "/12a", "/6 4")));
        Gen<string> line = Gen.Frequency(
            (12, from a in address from l in length from e in ending select a + l + e),
            (6, from a in ipv6 from l in ipv6Length from e in ending select a + l + e),
            (1, Gen.Elements(string.Empty, "# comment", "  10.0.0.0/8", "\r")));
        return Gen.ListOf(line).Select(lines => new TextLines([.. lines])).ToArbitrary();
    }

    public static Arbitrary<PrefixList> PrefixLists() =>
        AnySet().Select(p => new PrefixList(p)).ToArbitrary();

    public static Arbitrary<PrefixListPair> PrefixListPairs() =>
        Gen.Frequency(
            (3, Gen.Zip(AnySet(), AnySet())),
            // Same anchor for both, so the sets actually intersect often.
            (7, Gen.Choose(0, 1).SelectMany(f => Anchor(f == 0 ? 32 : 128).SelectMany(a =>
                Gen.Zip(Gen.ArrayOf(Prefix(f == 0 ? 32 : 128, a), 6), Gen.ArrayOf(Prefix(f == 0 ? 32 : 128, a), 6))))))
        .Select(t => new PrefixListPair(t.Item1, t.Item2)).ToArbitrary();
}

/// <summary>A generated input list, printed readably when a property fails.</summary>
public sealed record PrefixList(ModelPrefix[] Prefixes)
{
    public override string ToString() => "[" + string.Join(", ", Prefixes.Select(p => p.ToString())) + "]";
}

/// <summary>Generated lines of text for the list reader.</summary>
public sealed record TextLines(string[] Lines)
{
    public override string ToString() => "[" + string.Join(", ", Lines.Select(l => $"\"{l.Replace("\r", "\\r", StringComparison.Ordinal)}\"")) + "]";
}

/// <summary>Two generated lists for the set operations.</summary>
public sealed record PrefixListPair(ModelPrefix[] Left, ModelPrefix[] Right)
{
    public override string ToString() => $"left [{string.Join(", ", Left.Select(p => p.ToString()))}] right [{string.Join(", ", Right.Select(p => p.ToString()))}]";
}
