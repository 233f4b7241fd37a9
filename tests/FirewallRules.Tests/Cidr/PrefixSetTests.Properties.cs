using System.Numerics;
using FirewallRules.Cidr;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Cidr;

/// <summary>The engine against the reference model, on random IPv4, IPv6 and mixed sets including /0 and full-width prefixes.</summary>
public partial class PrefixSetTests
{
    private const int Cases = 400;

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = Cases)]
    public void Create_AnyPrefixes_CoversExactlyTheInputAddresses(PrefixList input)
    {
        PrefixSet set = PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork()));
        ModelPrefix[] output = Model(set);

        foreach (int width in new[] { 32, 128 })
        {
            foreach (UInt128 point in ReferenceModel.BoundaryPoints(width, input.Prefixes.Concat(output)))
            {
                bool expected = ReferenceModel.Contains(input.Prefixes.Where(p => p.Width == width), point);
                Assert.That(ReferenceModel.Contains(output.Where(p => p.Width == width), point), Is.EqualTo(expected),
                    $"output {string.Join(", ", output.Select(p => p.ToString()))} at {ModelPrefix.ToAddress(width, point)}");
                Assert.That(set.Contains(ModelPrefix.ToAddress(width, point)), Is.EqualTo(expected),
                    $"Contains({ModelPrefix.ToAddress(width, point)})");
            }
        }
    }

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = Cases)]
    public void Create_AnyPrefixes_IsSortedDisjointAndHasNoMergeableSiblings(PrefixList input)
    {
        ModelPrefix[] output = Model(PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork())));

        Assert.That(ReferenceModel.StructureProblem(output), Is.Null);
        Assert.That(output, Has.Length.LessThanOrEqualTo(input.Prefixes.Length), "aggregation never adds prefixes");
    }

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = Cases)]
    public void Create_InputOrderAndRepetition_DoNotChangeTheResult(PrefixList input)
    {
        PrefixSet forward = PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork()));
        PrefixSet reversedTwice = PrefixSet.Create(input.Prefixes.Reverse().Concat(input.Prefixes).Select(p => p.ToNetwork()));

        Assert.That(reversedTwice, Is.EqualTo(forward));
        Assert.That(reversedTwice.GetHashCode(), Is.EqualTo(forward.GetHashCode()));
        Assert.That(PrefixSet.Create(forward), Is.EqualTo(forward), "collapsing is idempotent");
    }

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = Cases)]
    public void ToStringThenParse_AnySet_RoundTrips(PrefixList input)
    {
        PrefixSet set = PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork()));

        Assert.That(PrefixSet.Parse(set.ToString()), Is.EqualTo(set));
        Assert.That(set.Select(n => n.ToString()), Is.EqualTo(set.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)),
            "the engine prints prefixes exactly as IPNetwork does");
    }

    /// <summary>
    /// Whether a set holds a whole prefix, asked of every input prefix, its parent, its halves and the other set's prefixes
    /// (so prefixes across two input prefixes, outside the set, and over its gaps). The model adds up the addresses of the
    /// prefix that input prefixes hold, counted as plain number intervals: all of them, or not.
    /// </summary>
    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = Cases)]
    public void ContainsNetwork_AnyPrefix_AgreesWithTheModel(PrefixListPair pair)
    {
        PrefixSet set = PrefixSet.Create(pair.Left.Select(p => p.ToNetwork()));
        IEnumerable<ModelPrefix> asked = pair.Left.Concat(pair.Right).SelectMany(p => new[]
        {
            p,
            p with { Length = Math.Max(0, p.Length - 1), Address = p.Address & ~ModelPrefix.HostMask(p.Width, Math.Max(0, p.Length - 1)) },
            p with { Length = Math.Min(p.Width, p.Length + 1) },
            p with { Length = Math.Min(p.Width, p.Length + 1), Address = p.Length == p.Width ? p.Address : p.Address | (ModelPrefix.HostMask(p.Width, p.Length + 1) + 1) },
        });

        foreach (ModelPrefix prefix in asked)
        {
            Assert.That(set.Contains(prefix.ToNetwork()), Is.EqualTo(ReferenceModel.Holds(pair.Left, prefix)),
                $"Contains({prefix}) of {string.Join(", ", pair.Left.Select(p => p.ToString()))}");
        }
    }

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = Cases)]
    public void SetOperations_AnyTwoSets_AgreeWithTheModel(PrefixListPair pair)
    {
        PrefixSet left = PrefixSet.Create(pair.Left.Select(p => p.ToNetwork()));
        PrefixSet right = PrefixSet.Create(pair.Right.Select(p => p.ToNetwork()));
        (string Name, PrefixSet Result, Func<bool, bool, bool> Rule)[] operations =
        [
            ("union", left.Union(right), (a, b) => a || b),
            ("intersection", left.Intersect(right), (a, b) => a && b),
            ("difference", left.Except(right), (a, b) => a && !b),
        ];

        foreach ((string name, PrefixSet result, Func<bool, bool, bool> rule) in operations)
        {
            ModelPrefix[] output = Model(result);
            Assert.That(ReferenceModel.StructureProblem(output), Is.Null, name);
            foreach (int width in new[] { 32, 128 })
            {
                foreach (UInt128 point in ReferenceModel.BoundaryPoints(width, pair.Left.Concat(pair.Right).Concat(output)))
                {
                    bool expected = rule(
                        ReferenceModel.Contains(pair.Left.Where(p => p.Width == width), point),
                        ReferenceModel.Contains(pair.Right.Where(p => p.Width == width), point));
                    Assert.That(ReferenceModel.Contains(output.Where(p => p.Width == width), point), Is.EqualTo(expected),
                        $"{name} at {ModelPrefix.ToAddress(width, point)}");
                }
            }
        }

        Assert.That(left.Intersect(right).IsSubsetOf(left), Is.True);
        Assert.That(left.Except(right).Union(left.Intersect(right)), Is.EqualTo(left), "difference and intersection partition the left set");
        Assert.That(left.Union(right), Is.EqualTo(right.Union(left)));
    }

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = Cases)]
    public void AddressCounts_AnySet_MatchTheModel(PrefixList input)
    {
        PrefixSet set = PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork()));

        Assert.That((BigInteger)set.IPv4AddressCount, Is.EqualTo(ModelCount(32, input.Prefixes)));
        BigInteger expectedV6 = ModelCount(128, input.Prefixes);
        if (expectedV6 == BigInteger.One << 128)
        {
            Assert.That(() => set.IPv6AddressCount, Throws.TypeOf<OverflowException>(), "all of IPv6 does not fit in UInt128");
        }
        else
        {
            Assert.That((BigInteger)set.IPv6AddressCount, Is.EqualTo(expectedV6));
        }
    }

    /// <summary>
    /// A list must read exactly as its lines do one by one, errors included, with and without the lenient options: a
    /// last line without a newline always goes through the reader's general path, so this checks its one-pass paths
    /// for common lines.
    /// </summary>
    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = Cases)]
    public void Parse_List_AgreesWithItsLinesOneByOne(TextLines input)
    {
        foreach (PrefixParseOptions options in new[] { PrefixParseOptions.None, PrefixParseOptions.AnyIPv6Text | PrefixParseOptions.ClearHostBits })
        {
            foreach (string newline in new[] { "\n", "\r\n" })
            {
                AssertListReadsAsItsLines(input.Lines, newline, options);
            }
        }
    }

    /// <summary>
    /// The reader's run of common IPv4 lines reads only lines that are well inside the data: every edge of what
    /// it accepts, between many other lines, reads as the line does alone, and a bad one is reported at its line.
    /// </summary>
    [TestCase("0.0.0.0/0")]
    [TestCase("255.255.255.255/32")]
    [TestCase("255.255.255.255")]
    [TestCase("255.255.255.254/31 ")]
    [TestCase("1.2.3.4/032")]
    [TestCase("1.2.3.4/03")]
    [TestCase("1.2.3.0/0")]
    [TestCase("01.2.3.4")]
    [TestCase("1.2.3.256")]
    [TestCase("1.2.3.4/33")]
    [TestCase("1.2.3.4/")]
    [TestCase("1.2.3.4/ 24")]
    [TestCase("1.2.3.4/24")]
    [TestCase("10.0.0.0/8#x")]
    [TestCase("1234.1.1.1")]
    [TestCase("1.2.3.4.5")]
    [TestCase("1.2.3.4\r")]
    [TestCase("2001:db8::/32")]
    [TestCase("100.64.0.0/10\r\r")]
    public void Parse_LongList_EveryEdgeOfTheIPv4RunReadsAsItsLine(string edge)
    {
        string[] good = [.. Enumerable.Range(0, 60).Select(i => i % 7 == 3 ? $"2001:db8:{i:x}::/48" : $"{i}.{i * 3 % 256}.{i * 7 % 128}.0/{24 + (i % 9)}")];
        string[] lines = [.. good[..30], edge, .. good[30..]];
        foreach (PrefixParseOptions options in new[] { PrefixParseOptions.None, PrefixParseOptions.AnyIPv6Text | PrefixParseOptions.ClearHostBits })
        {
            AssertListReadsAsItsLines(lines, "\n", options);
            AssertListReadsAsItsLines(lines, "\r\n", options);
        }
    }

    private static void AssertListReadsAsItsLines(string[] lines, string newline, PrefixParseOptions options)
    {
        PrefixSet expected = PrefixSet.Empty;
        PrefixFormatException? expectedError = null;
        for (int i = 0; i < lines.Length && expectedError is null; i++)
        {
            try
            {
                // Alone, a line keeps the '\r' of its "\r\n", which the reader drops as it does in a list.
                expected = expected.Union(PrefixSet.Parse(lines[i] + newline[..^1], options));
            }
            catch (PrefixFormatException ex)
            {
                expectedError = new PrefixFormatException(ex.Reason, ex.Advice, i + 1, ex.Column);
            }
        }

        string text = string.Concat(lines.Select(line => line + newline));
        if (expectedError is null)
        {
            Assert.That(PrefixSet.Parse(text, options), Is.EqualTo(expected), $"{options}, lines ending in {newline.Length} bytes");
        }
        else
        {
            Assert.That(() => PrefixSet.Parse(text, options), Throws.TypeOf<PrefixFormatException>().With.Message.EqualTo(expectedError.Message));
        }
    }

    private static ModelPrefix[] Model(PrefixSet set) => set.Select(ModelPrefix.FromNetwork).ToArray();

    /// <summary>Counts addresses by walking the points where membership can change: no merging involved.</summary>
    private static BigInteger ModelCount(int width, IEnumerable<ModelPrefix> prefixes)
    {
        ModelPrefix[] family = prefixes.Where(p => p.Width == width).ToArray();
        var changes = new SortedSet<BigInteger> { BigInteger.Zero, BigInteger.One << width };
        foreach (ModelPrefix p in family)
        {
            changes.Add(p.Address);
            changes.Add((BigInteger)p.Last + 1);
        }

        BigInteger total = BigInteger.Zero;
        BigInteger[] points = changes.ToArray();
        for (int i = 0; i + 1 < points.Length; i++)
        {
            if (family.Any(p => p.Contains((UInt128)points[i])))
            {
                total += points[i + 1] - points[i];
            }
        }

        return total;
    }
}
