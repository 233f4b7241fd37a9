using System.Globalization;
using System.Net;
using Amazon.EC2.Model;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The grace record's tags edited by hand (set with the AWS SDK, as anyone allowed to tag the lists can): the real
/// <c>fwrules sync</c> against moto reads them without failing, and the account ends with exactly the plan, nothing the
/// record names beyond what the lists held.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsHandEditedRecordTests
{
    [Test]
    public async Task SeenTagPastTheLastTimeADateHolds_IsReadAsAbsentAndTheRunLeavesExactlyThePlan()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 7600, 0, 20));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        account.Mirror.Serve(GeneratedDocuments.Write(work, 7601, 5, 25));
        await TagAsync(account, "fwrules:seen", "99999999999999999");
        DateTimeOffset start = DateTimeOffset.UtcNow;

        // A second runner, which never saw 0 to 5 published: with no seen time the lists cannot tell it they were, so it keeps none.
        ProcessResult run = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null,
            [.. account.Common("two"), "-s", "logs", "--keep-removed", "1h"]);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Error, Does.Not.Contain("   at "));
        IReadOnlyList<ListState> lists = account.Lists();
        Assert.That(AwsAccount.Entries(lists, "ipv4"), Is.EqualTo(GeneratedDocuments.Range(5, 25)));
        long seen = long.Parse(First(lists).Tags["fwrules:seen"].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.That(DateTimeOffset.FromUnixTimeSeconds(seen), Is.InRange(start.AddSeconds(-2), DateTimeOffset.UtcNow.AddSeconds(1)), "the run wrote no seen time of its own");
    }

    [Test]
    public async Task RecordNamingPrefixesNoListHolds_KeepsNoneOfThemAndTheGroupAndListsHoldExactlyThePlan()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        string path = GeneratedDocuments.Write(work, 7700, 0, 20);
        await using AwsAccount account = await AwsAccount.StartAsync(path, "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] common = ["-s", "logs", "--group-id", group, "--rules-per-group", "1000", "--keep-removed", "1h"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, common);
        string[] owned = AwsGroups.Owned(account, group);
        string recent = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60).ToString(CultureInfo.InvariantCulture);
        RuleSet plan = RuleSet.For(IpRangesDocument.Load(path), ["logs"]);

        // Networks no list holds, unclaimed and claimed by logs, and an IPv6 prefix on the IPv4 list; then every address.
        foreach (string record in (string[])[$"=? @{recent} 8.0.0.0/8 =logs @{recent} 198.51.100.0/24 2600::/16", $"=? @{recent} 0.0.0.0/0 ::/0"])
        {
            await TagAsync(account, "fwrules:grace-1", record);

            await AwsSecurityGroupSyncTests.SucceedsAsync(account, common);

            IReadOnlyList<ListState> lists = account.Lists();
            Assert.That(AwsAccount.Entries(lists, "ipv4"), Is.EqualTo(plan.Prefixes.IPv4), $"{record}: the IPv4 lists hold more than the plan");
            Assert.That(AwsAccount.Entries(lists, "ipv6"), Is.EqualTo(plan.Prefixes.IPv6), $"{record}: the IPv6 lists hold more than the plan");
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(owned), $"{record}: the group's rules changed");
            Assert.That(First(lists).Tags.Keys, Has.None.StartsWith("fwrules:grace-"), $"{record}: the record still names what no list held");
        }
    }

    [Test]
    public async Task EntriesAddedByHandWithTheAwsCli_AreRemovedByTheNextRunInOneLineNotKeptInGrace()
    {
        using var documents = new TempFiles();
        string path = GeneratedDocuments.Write(documents.DirectoryPath, 7800, 0, 20);
        await using AwsAccount account = await AwsAccount.StartAsync(path);
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        ListState list = First(account.Lists());
        account.Aws("modify-managed-prefix-list", "--prefix-list-id", list.Id, "--prefix-list-name", list.Name, "--current-version",
            list.Version.ToString(CultureInfo.InvariantCulture),
            "--add-entries", "Cidr=0.0.0.0/1", "Cidr=128.0.0.0/1", "Cidr=10.0.0.0/8");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4").Contains(IPNetwork.Parse("10.0.0.0/8")), "the AWS CLI added nothing");

        ProcessResult run = await account.SyncAsync("-s", "logs");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(RuleSet.For(IpRangesDocument.Load(path), ["logs"]).Prefixes.IPv4),
            $"the run kept entries added by hand: {run.Output}");
        Assert.That(run.Error.Split('\n').Count(l => l.Contains("that no vetted document in the cache published", StringComparison.Ordinal)), Is.EqualTo(1), run.Error);
        Assert.That(First(account.Lists()).Tags.Keys, Has.None.StartsWith("fwrules:grace-"), "the record keeps what was added by hand");

        // A prefix the document publishes in another section (a webhook's address, inbound) is not the logs lists' either.
        IPNetwork webhook = IpRangesDocument.Load(path)["webhooks"].Prefixes.IPv4.First();
        list = First(account.Lists());
        account.Aws("modify-managed-prefix-list", "--prefix-list-id", list.Id, "--prefix-list-name", list.Name, "--current-version",
            list.Version.ToString(CultureInfo.InvariantCulture), "--add-entries", $"Cidr={webhook}");

        run = await account.SyncAsync("-s", "logs");

        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(RuleSet.For(IpRangesDocument.Load(path), ["logs"]).Prefixes.IPv4),
            $"the run kept another section's prefix added by hand: {run.Output}");
        Assert.That(run.Error.Split('\n').Count(l => l.Contains($"hold {webhook} that no vetted document", StringComparison.Ordinal)), Is.EqualTo(1), run.Error);
    }

    /// <summary>
    /// A runner killed between its change of the lists and its record (the record put back as it was before the change, as the kill leaves
    /// it) leaves entries the record's seal no longer covers; a second runner, whose cache never held the document that published the
    /// prefixes now in their keep period, reads back what the lists held at the versions the record names (AWS keeps them) and keeps those,
    /// while an entry added by hand since (in place of a published one: the list is full) is removed. The campaign's seed 27, run 6, in one test.
    /// </summary>
    [Test]
    public async Task RunnerKilledBetweenItsChangeAndItsRecord_AnotherRunnerKeepsWhatTheRecordWasWrittenWith_AndRemovesWhatWasAddedByHand()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 7900, 0, 20));
        string[] sync = ["-s", "logs", "--keep-removed", "1h", "--max-entries", "60"];
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, sync);
        Dictionary<string, string> record = First(account.Lists()).Tags.Where(t => t.Key.StartsWith("fwrules:", StringComparison.Ordinal)).ToDictionary();
        account.Mirror.Serve(GeneratedDocuments.Write(work, 7901, 5, 25));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, sync);
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, 25)), "the first runner kept 0 to 5 in grace");
        ListState first = First(account.Lists());
        await account.Ec2.DeleteTagsAsync(new() { Resources = [first.Id], Tags = [.. first.Tags.Keys.Where(k => !record.ContainsKey(k)).Select(k => new Tag { Key = k })] });
        await account.Ec2.CreateTagsAsync(new() { Resources = [first.Id], Tags = [.. record.Select(t => new Tag(t.Key, t.Value))] });
        account.Aws("modify-managed-prefix-list", "--prefix-list-id", first.Id, "--prefix-list-name", first.Name, "--current-version",
            first.Version.ToString(CultureInfo.InvariantCulture), "--add-entries", "Cidr=10.0.0.0/8", "--remove-entries", $"Cidr={GeneratedDocuments.Prefix(24)}");

        ProcessResult run = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null,
            [.. account.Common("two"), .. sync]);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, 25)),
            $"the prefixes in their keep period are not all kept, or the entry added by hand is: {run.Error}");
        Assert.That(run.Error.Split('\n').Count(l => l.Contains("hold 10.0.0.0/8 that no vetted document", StringComparison.Ordinal)), Is.EqualTo(1), run.Error);
    }

    private static ListState First(IReadOnlyList<ListState> lists) => lists.Single(l => l.Name.EndsWith("-ipv4", StringComparison.Ordinal));

    /// <summary>Sets <paramref name="key"/> on the first IPv4 list with the AWS SDK.</summary>
    private static async Task TagAsync(AwsAccount account, string key, string value) =>
        await account.Ec2.CreateTagsAsync(new() { Resources = [First(account.Lists()).Id], Tags = [new Tag(key, value)] });
}
