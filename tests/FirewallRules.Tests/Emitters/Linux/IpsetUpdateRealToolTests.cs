using System.Text.RegularExpressions;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// The ipset incremental update through the real <c>ipset restore</c> in a throwaway network namespace: over the full
/// output of one real document it leaves exactly what the next one's full output loads, a second run (or a run over the
/// next one's full output) succeeds and changes nothing, and every other state (another version, no version mark, sets
/// it cannot safely change) fails on a check line before the first change, leaving <c>ipset save</c> byte for byte as it was.
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

    [Test]
    public void Update_OverTheNewVersionsFullOutput_SucceedsAndChangesNothing()
    {
        RuleSet older = RuleSet.For(Load("datadoghq.com-v46.json"), Section.Logs);
        RuleSet newer = RuleSet.For(Load("datadoghq.com-v47.json"), Section.Logs);
        Restore(newer.ToIpset());
        Dictionary<string, string[]> members = Readback.IpsetSets(Ns);
        Dictionary<string, string> types = Readback.IpsetTypes(Ns);

        Ns.ExecWithInput(newer.ToIpsetUpdate(older), "ipset", "restore").Succeeded();

        Assert.That(Readback.IpsetSets(Ns), Is.EqualTo(members));
        Assert.That(Readback.IpsetTypes(Ns), Is.EqualTo(types));
        Assert.That(members["datadog-version"], Is.EqualTo(new[] { "0.0.0.47/32" }), "the version mark the full output left");
    }

    [Test]
    public void Update_OverTheOldVersion_MovesTheVersionMarkLast()
    {
        RuleSet older = RuleSet.For(Load("datadoghq.com-v46.json"), Section.Logs);
        RuleSet newer = RuleSet.For(Load("datadoghq.com-v47.json"), Section.Logs);
        Restore(older.ToIpset());
        Assert.That(Readback.IpsetSets(Ns)["datadog-version"], Is.EqualTo(new[] { "0.0.0.46/32" }));

        string update = newer.ToIpsetUpdate(older, NoComments);
        Ns.ExecWithInput(update, "ipset", "restore").Succeeded();

        Assert.That(Readback.IpsetSets(Ns)["datadog-version"], Is.EqualTo(new[] { "0.0.0.47/32" }));
        Assert.That(update.TrimEnd('\n').Split('\n')[^2..], Is.EqualTo(new[] { "del datadog-version 0.0.0.46", "add datadog-version 0.0.0.47" }), "after every swap");
    }

    [TestCase("another version loaded (v52)", "Hash is full")]
    [TestCase("loaded without a version mark (an older fwrules)", "does not exist")]
    public void Update_SetsHoldingNeitherVersion_RefusedOnTheVersionMarkLineAndChangesNothing(string state, string complaint)
    {
        RuleSet older = RuleSet.For(Load("datadoghq.com-v46.json"), Section.Logs);
        RuleSet newer = RuleSet.For(Load("datadoghq.com-v47.json"), Section.Logs);
        string update = newer.ToIpsetUpdate(older, NoComments);
        Restore(state.StartsWith("another", StringComparison.Ordinal) ? RuleSet.For(Load("datadoghq.com-v52.json"), Section.Logs).ToIpset() : older.ToIpset());
        if (!state.StartsWith("another", StringComparison.Ordinal))
        {
            Ns.Exec("ipset", "destroy", "datadog-version").Succeeded();
        }

        string before = Ns.Exec("ipset", "save").Succeeded();

        ToolResult result = Ns.ExecWithInput(update, "ipset", "restore");

        Assert.That(result.ExitCode, Is.Not.Zero, "ipset applied the update");
        string[] lines = update.Split('\n');
        string failed = lines[int.Parse(ErrorLine().Match(result.Error).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1];
        Assert.That(failed, Does.StartWith("del datadog-version ").Or.StartWith("add datadog-version "), result.Error);
        Assert.That(result.Error, Does.Contain(complaint));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        Assert.That(Ns.Exec("ipset", "save").Succeeded(), Is.EqualTo(before), "the refused update changed the sets");
    }

    [Test]
    public void Update_RulesWithoutADocumentVersion_Refused()
    {
        var custom = new RuleSetProvenance(null, null, null, ["custom"], IsEmbeddedSnapshot: false);
        RuleSet older = RuleSet.Create(
            [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24\n198.51.100.0/24"), ["custom"])], custom);
        RuleSet newer = RuleSet.Create([new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["custom"])], custom);

        Assert.That(() => newer.ToIpsetUpdate(older), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("checks the document version the sets hold"));
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
        string set = SelfSwap().Match(update).Groups[1].Value; // a Datadog set, not the version mark
        Prepare(state, older, set);
        string before = Ns.Exec("ipset", "save").Succeeded();

        ToolResult result = Ns.ExecWithInput(update, "ipset", "restore");

        Assert.That(result.ExitCode, Is.Not.Zero, "ipset applied the update");
        // swap, create, the version mark's four lines, add of a kept prefix
        int checks = (3 * update.Split('\n').Count(line => line.StartsWith("swap ", StringComparison.Ordinal) && line.Split(' ')[1] == line.Split(' ')[2])) + 4;
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

    [GeneratedRegex(@"^swap (\S+) \1$", RegexOptions.Multiline)]
    private static partial Regex SelfSwap();

    [GeneratedRegex(@"Error in line (\d+):")]
    private static partial Regex ErrorLine();
}
