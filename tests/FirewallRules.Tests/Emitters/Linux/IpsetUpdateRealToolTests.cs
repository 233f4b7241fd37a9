using System.Text.RegularExpressions;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// The ipset incremental update through the real <c>ipset restore</c> in a throwaway network namespace: over the full
/// output of one real document it leaves exactly what the next one's full output loads, a second run changes nothing,
/// and every state it cannot safely change fails on a check line before the first change, leaving <c>ipset save</c>
/// byte for byte as it was.
/// </summary>
[TestFixture]
[Category("RealTools")]
public partial class IpsetUpdateRealToolTests
{
    private static readonly IptablesEmitterOptions NoComments = new() { Comments = false };
    private NetworkNamespace? _ns;

    private NetworkNamespace Ns => _ns ?? throw new InvalidOperationException("no namespace");

    [OneTimeSetUp]
    public void CreateNamespace()
    {
        LinuxTools.Require("ip", "ipset");
        _ns = NetworkNamespace.Create();
    }

    [OneTimeTearDown]
    public void DeleteNamespace() => _ns?.Dispose();

    [SetUp]
    public void NoSets() => Ns.Exec("ipset", "destroy").Succeeded();

    [TestCaseSource(typeof(TestData), nameof(TestData.ConsecutiveDocumentsAndDirections))]
    public void Update_ConsecutiveDocuments_LeavesWhatTheNewFullOutputLoads(string olderDocument, string newerDocument, Direction direction)
    {
        RuleSet older = RuleSet.All(Load(olderDocument), direction);
        RuleSet newer = RuleSet.All(Load(newerDocument), direction);
        string update;
        try
        {
            update = newer.ToIpsetUpdate(older);
        }
        catch (RuleGenerationException ex)
        {
            // Refused only when the sets differ, or a set keeps no address to check; then the full output is the way.
            Assert.That(ex.Message, Does.Contain("--format ipset"));
            Assert.That(SetNames(older).SequenceEqual(SetNames(newer)) && !SomeSetKeepsNoPrefix(older, newer), Is.False, $"refused: {ex.Message}");
            return;
        }

        Restore(older.ToIpset());
        Ns.ExecWithInput(update, "ipset", "restore").Succeeded();
        Dictionary<string, string[]> members = Readback.IpsetSets(Ns);
        Dictionary<string, string> types = Readback.IpsetTypes(Ns);
        Ns.ExecWithInput(update, "ipset", "restore").Succeeded();
        Assert.That(Readback.IpsetSets(Ns), Is.EqualTo(members), "a second run changed the sets");

        Ns.Exec("ipset", "destroy").Succeeded();
        Restore(newer.ToIpset());
        Assert.That(members, Is.EqualTo(Readback.IpsetSets(Ns)), "members after the update, against the new full output");
        Assert.That(types, Is.EqualTo(Readback.IpsetTypes(Ns)), "set types after the update, against the new full output");
    }

    [Test]
    public void Update_RealDocuments_ChangeSomeSetsInBothFamilies()
    {
        // Guards the test above against pairs that all refuse or change nothing.
        string[] changed = TestData.IpRangesDocuments.Zip(TestData.IpRangesDocuments.Skip(1))
            .Select(pair => Updated(RuleSet.All(IpRangesDocument.Load(pair.First)), RuleSet.All(IpRangesDocument.Load(pair.Second))))
            .OfType<string>()
            .SelectMany(update => AddOrDelete().Matches(update).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToArray();

        Assert.That(changed, Has.Some.EndsWith("4").And.Some.EndsWith("6"));
    }

    [TestCase("nothing loaded")]
    [TestCase("loaded with another --name")]
    [TestCase("a set of the other family")]
    [TestCase("a set with another maxelem")]
    [TestCase("a set of another type")]
    public void Update_SetsNotAsThePreviousOutputLeftThem_FailsOnACheckLineAndChangesNothing(string state)
    {
        RuleSet older = RuleSet.For(Load("datadoghq.com-v46.json"), Section.Logs);
        RuleSet newer = RuleSet.For(Load("datadoghq.com-v47.json"), Section.Logs);
        string update = newer.ToIpsetUpdate(older, NoComments);
        string set = AddOrDelete().Match(update).Groups[1].Value;
        Prepare(state, older, set);
        string before = Ns.Exec("ipset", "save").Succeeded();

        ToolResult result = Ns.ExecWithInput(update, "ipset", "restore");

        Assert.That(result.ExitCode, Is.Not.Zero, "ipset applied the update");
        int checks = 3 * update.Split('\n').Count(line => line.StartsWith("swap ", StringComparison.Ordinal)); // swap, create, add of a kept prefix
        Assert.That(int.Parse(ErrorLine().Match(result.Error).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, checks), result.Error);
        Assert.That(Ns.Exec("ipset", "save").Succeeded(), Is.EqualTo(before), "the failed update changed the sets");
    }

    private void Prepare(string state, RuleSet older, string set)
    {
        switch (state)
        {
            case "nothing loaded":
                break;
            case "loaded with another --name":
                Restore(older.ToIpset(new IptablesEmitterOptions { Name = "other" }));
                break;
            case "a set of the other family":
                Restore(older.ToIpset());
                Ns.Exec("ipset", "destroy", set).Succeeded();
                Ns.Exec("ipset", "create", set, "hash:net", "family", set.EndsWith('4') ? "inet6" : "inet").Succeeded();
                break;
            case "a set with another maxelem":
                Restore(older.ToIpset());
                string[] members = Readback.IpsetSets(Ns)[set];
                Ns.Exec("ipset", "destroy", set).Succeeded();
                Restore($"create {set} hash:net family {(set.EndsWith('4') ? "inet" : "inet6")} maxelem 1048576\n" + string.Concat(members.Select(m => $"add {set} {m}\n")));
                break;
            case "a set of another type":
                Restore(older.ToIpset());
                Ns.Exec("ipset", "destroy", set).Succeeded();
                Ns.Exec("ipset", "create", set, "hash:ip", "family", set.EndsWith('4') ? "inet" : "inet6").Succeeded();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }

    private void Restore(string restoreFile) => Ns.ExecWithInput(restoreFile, "ipset", "restore").Succeeded();

    private static string? Updated(RuleSet older, RuleSet newer)
    {
        try
        {
            return newer.ToIpsetUpdate(older, NoComments);
        }
        catch (RuleGenerationException)
        {
            return null;
        }
    }

    private static string[] SetNames(RuleSet rules) =>
        [.. rules.Rules.SelectMany(r => new[] { r.Prefixes.IPv4.IsEmpty ? null : r.Name + "4", r.Prefixes.IPv6.IsEmpty ? null : r.Name + "6" }).OfType<string>()];

    private static bool SomeSetKeepsNoPrefix(RuleSet older, RuleSet newer) =>
        older.Rules.Zip(newer.Rules).Any(pair => new[] { (pair.First.Prefixes.IPv4, pair.Second.Prefixes.IPv4), (pair.First.Prefixes.IPv6, pair.Second.Prefixes.IPv6) }
            .Any(f => !f.Item1.Equals(f.Item2) && !f.Item1.ToHashSet().Overlaps(f.Item2)));

    private static IpRangesDocument Load(string document) => IpRangesDocument.Load(TestData.Path_("ip-ranges", document));

    [GeneratedRegex(@"^(?:add|del) (\S+) ", RegexOptions.Multiline)]
    private static partial Regex AddOrDelete();

    [GeneratedRegex(@"Error in line (\d+):")]
    private static partial Regex ErrorLine();
}
