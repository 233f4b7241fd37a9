using FirewallRules.Emitters.Windows;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Windows;

/// <summary>The splitter at its boundaries: never an empty list (Windows reads one as any address), never a lost or repeated address.</summary>
[TestFixture]
public class WindowsRuleSplitterTests
{
    // Every other /24, so that no two merge into a shorter prefix in a set.
    private static string[] Addresses(int count) => Enumerable.Range(0, count).Select(i => $"10.{i / 128}.{2 * i % 256}.0/24").ToArray();

    private static PrefixSet Set(IEnumerable<string> addresses) => PrefixSet.Parse(string.Join('\n', addresses));

    // The addresses of each list, as text: the ranges a chunk takes of the set's order.
    private static string[][] Lists(PrefixSet prefixes, IReadOnlyList<Range> chunks)
    {
        string[] all = prefixes.Select(p => p.ToString()).ToArray();
        return chunks.Select(chunk => all[chunk]).ToArray();
    }

    [Test]
    public void Chunk_NoAddress_RefusesRatherThanAllowingAny() =>
        Assert.That(() => WindowsRuleSplitter.Chunk(PrefixSet.Empty, 1000, int.MaxValue),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("any address"));

    [TestCase(1, 1000, new[] { 1 })]
    [TestCase(999, 1000, new[] { 999 })]
    [TestCase(1000, 1000, new[] { 1000 })]
    [TestCase(1001, 1000, new[] { 1000, 1 })]
    [TestCase(2000, 1000, new[] { 1000, 1000 })]
    [TestCase(2001, 1000, new[] { 1000, 1000, 1 })]
    [TestCase(3, 1, new[] { 1, 1, 1 })]
    public void Chunk_ByCount_FillsEachListToTheLimit(int count, int max, int[] sizes)
    {
        string[] addresses = Addresses(count);
        PrefixSet prefixes = Set(addresses);

        string[][] lists = Lists(prefixes, WindowsRuleSplitter.Chunk(prefixes, max, int.MaxValue));

        Assert.That(lists.Select(c => c.Length), Is.EqualTo(sizes));
        Assert.That(lists.SelectMany(c => c), Is.EqualTo(addresses), "every address once, in order");
    }

    // Each address below is 9 characters; two joined by a comma take 19.
    [TestCase(19, new[] { 2, 2, 1 })]
    [TestCase(18, new[] { 1, 1, 1, 1, 1 })]
    [TestCase(29, new[] { 3, 2 })]
    [TestCase(9, new[] { 1, 1, 1, 1, 1 })]
    public void Chunk_ByLength_KeepsEachListWithinIt(int maxLength, int[] sizes)
    {
        PrefixSet prefixes = Set(["1.0.0.0/8", "3.0.0.0/8", "5.0.0.0/8", "7.0.0.0/8", "9.0.0.0/8"]);

        string[][] lists = Lists(prefixes, WindowsRuleSplitter.Chunk(prefixes, 1000, maxLength));

        Assert.That(lists.Select(c => c.Length), Is.EqualTo(sizes));
        Assert.That(lists.Select(c => string.Join(',', c).Length), Has.All.LessThanOrEqualTo(maxLength));
    }

    [Test]
    public void Chunk_MixedLengths_PlansFromTheTextEachPrefixWouldHave()
    {
        // 9, 11, 12 and 33 characters: the first three joined take exactly 34. The lengths come from the numbers and
        // must be those of the text written, to the character.
        PrefixSet prefixes = Set(["1.0.0.0/8", "10.1.0.0/16", "192.0.2.0/24", "2001:db8:1234:5678:9abc:def0::/96"]);

        string[][] lists = Lists(prefixes, WindowsRuleSplitter.Chunk(prefixes, 1000, 34));

        Assert.That(lists, Is.EqualTo(new[] { new[] { "1.0.0.0/8", "10.1.0.0/16", "192.0.2.0/24" }, new[] { "2001:db8:1234:5678:9abc:def0::/96" } }));
    }

    [Test]
    public void Chunk_AddressLongerThanTheRoom_RefusesNamingIt() =>
        Assert.That(() => WindowsRuleSplitter.Chunk(Set(["1.0.0.0/8"]), 1000, 8),
            Throws.TypeOf<RuleGenerationException>().With.Message.StartsWith("1.0.0.0/8 does not fit"));

    [Test]
    public void Chunk_AnySizeAndLimit_GivesTheFewestNonEmptyLists()
    {
        for (int count = 1; count <= 60; count++)
        {
            for (int max = 1; max <= 12; max++)
            {
                IReadOnlyList<Range> chunks = WindowsRuleSplitter.Chunk(Set(Addresses(count)), max, int.MaxValue);

                Assert.That(chunks, Has.Count.EqualTo((count + max - 1) / max), $"{count} by {max}");
                Assert.That(chunks.Select(c => c.GetOffsetAndLength(count).Length), Has.All.InRange(1, max), $"{count} by {max}");
            }
        }
    }

    [Test]
    public void BothFormats_TwoRulesOfOneName_RefuseRatherThanCollide()
    {
        // A hand-built set may allow and deny the same port; both rules are named egress-tcp-443.
        PrefixSet prefixes = PrefixSet.Parse("192.0.2.0/24");
        RuleSet rules = RuleSet.Create(
            [
                new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, prefixes, ["a"]),
                new FirewallRule(Direction.Egress, RuleAction.Deny, PortRange.Https, prefixes, ["b"])
            ],
            new RuleSetProvenance(null, null, null, ["a", "b"], IsEmbeddedSnapshot: false));

        Assert.That(() => rules.ToWindowsFirewall(), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("egress-tcp-443"));
        Assert.That(() => rules.ToNetsh(), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("egress-tcp-443"));
    }

    [Test]
    public void BothFormats_EmptyPrefixList_CannotReachThem() =>
        Assert.That(() => new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Empty, ["a"]),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("allow-list of nothing"));
}
