using System.Net;
using FirewallRules.Aws;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Aws;

/// <summary>How a family's prefixes are spread over lists and how a change is cut into calls, against simple models.</summary>
[TestFixture]
[Category("Aws")]
public sealed class PrefixListPlannerTests
{
    [Test]
    public void Batches_AnyChange_ReachTheTargetWithinAwsLimitsAndNeverHoldMoreThanTheSize()
    {
        var random = new Random(28);
        for (int run = 0; run < 500; run++)
        {
            int max = random.Next(1, 1001);
            var current = Enumerable.Range(0, random.Next(0, max + 1)).Select(i => Prefix(i)).ToList();
            var target = Enumerable.Range(random.Next(0, 1200), random.Next(1, max + 1)).Select(i => Prefix(i)).ToList();
            IPNetwork[] remove = [.. current.Except(target)];
            IPNetwork[] add = [.. target.Except(current)];

            var held = new HashSet<IPNetwork>(current);
            foreach ((IPNetwork[] r, IPNetwork[] a) in PrefixListWriter.Batches(current.Count, max, remove, add))
            {
                Assert.That(r.Length + a.Length, Is.Positive.And.LessThanOrEqualTo(200));
                Assert.That(r.Length <= 100 && a.Length <= 100, Is.True);
                held.ExceptWith(r);
                held.UnionWith(a);
                Assert.That(held, Has.Count.LessThanOrEqualTo(max), $"run {run}: a call would overfill a list of {max}");
            }

            // A set comparison: NUnit's EquivalentTo compares element by element, a minute for these 500 runs.
            Assert.That(held.SetEquals(target), Is.True, $"run {run}: the list holds {held.Count} entries, {held.Except(target).Count()} not in the target, " +
                $"{target.Except(held).Count()} of the target missing");
        }
    }

    [Test]
    public void Plan_NewEntries_FillTheListsInOrderAndOpenAnotherOnlyWhenFull()
    {
        OwnedPrefixList first = Owned(1, 10, Range(0, 8));
        OwnedPrefixList second = Owned(2, 10, Range(100, 103));

        IReadOnlyList<PrefixListPlan> plans =
            PrefixListPlanner.Plan("dd", AddressFamilies.IPv4, [.. Range(0, 8), .. Range(100, 103), .. Range(200, 215)], [first, second], perList: 10);

        Assert.That(plans.Select(p => (p.Name, p.Existing?.Id, p.Add.Count, p.Remove.Count, p.Count)), Is.EqualTo(new (string, string?, int, int, int)[]
        {
            ("dd-ipv4", "pl-1", 2, 0, 10),
            ("dd-ipv4-2", "pl-2", 7, 0, 10),
            ("dd-ipv4-3", null, 6, 0, 6),
        }));
        Assert.That(plans[2].MaxEntries, Is.EqualTo(10), "a new list is sized with headroom within the limit");
    }

    [Test]
    public void Plan_ListLeftWithNothing_IsDeletedAndNeverEmptied()
    {
        OwnedPrefixList first = Owned(1, 20, Range(0, 12));
        OwnedPrefixList second = Owned(2, 20, Range(100, 103));

        IReadOnlyList<PrefixListPlan> plans = PrefixListPlanner.Plan("dd", AddressFamilies.IPv4, [.. Range(0, 12)], [first, second], perList: 20);

        Assert.That(plans.Select(p => p.Action), Is.EqualTo(new[] { AwsListAction.Unchanged, AwsListAction.Deleted }));
    }

    [Test]
    public void Plan_TwoListsOfOnePart_TheSecondIsDeletedAndItsEntriesGoToAListOfAPartOfItsOwn()
    {
        // What two runs at once left: both created dd-ipv4-3, and the entries of the fourth list went into the second -3.
        OwnedPrefixList[] owned = [Owned(1, 10, Range(0, 10)), Owned(2, 10, Range(10, 20)), Owned(3, 10, Range(20, 30)) with { Id = "pl-3a" },
            Owned(3, 10, Range(30, 35)) with { Id = "pl-3b" }];

        IReadOnlyList<PrefixListPlan> plans = PrefixListPlanner.Plan("dd", AddressFamilies.IPv4, [.. Range(0, 35)], owned, perList: 10);

        Assert.That(plans.Select(p => (p.Name, p.Existing?.Id, p.Action, p.Count)), Is.EquivalentTo(new (string, string?, AwsListAction, int)[]
        {
            ("dd-ipv4", "pl-1", AwsListAction.Unchanged, 10),
            ("dd-ipv4-2", "pl-2", AwsListAction.Unchanged, 10),
            ("dd-ipv4-3", "pl-3a", AwsListAction.Unchanged, 10),
            ("dd-ipv4-3", "pl-3b", AwsListAction.Deleted, 0),
            ("dd-ipv4-4", null, AwsListAction.Created, 5),
        }), "two lists of one name settle");
        Assert.That(plans.Single(p => p.Action == AwsListAction.Created).Add, Is.EquivalentTo(Range(30, 35)));
    }

    [TestCase(10, 15, 15, TestName = "Plan_SizeWithinHysteresis_StaysAsItIs")]
    [TestCase(10, 40, 15, TestName = "Plan_SizeFarAboveTheEntries_ShrinksToTheirHeadroom")]
    [TestCase(30, 20, 35, TestName = "Plan_EntriesOutgrowTheSize_GrowsWithHeadroom")]
    public void Plan_Size(int entries, int size, int expected)
    {
        OwnedPrefixList list = Owned(1, size, Range(0, Math.Min(entries, size)));

        IReadOnlyList<PrefixListPlan> plans = PrefixListPlanner.Plan("dd", AddressFamilies.IPv4, [.. Range(0, entries)], [list], perList: 1000);

        Assert.That(plans.Single().MaxEntries, Is.EqualTo(expected));
    }

    private static OwnedPrefixList Owned(int part, int max, IEnumerable<IPNetwork> entries) =>
        new($"pl-{part}", PrefixListPlanner.ListName("dd", AddressFamilies.IPv4, part), AddressFamilies.IPv4, part, 1, max, [.. entries]);

    private static IEnumerable<IPNetwork> Range(int from, int to) => Enumerable.Range(from, to - from).Select(Prefix);

    private static IPNetwork Prefix(int i) => GeneratedDocuments.Prefix(i);
}
