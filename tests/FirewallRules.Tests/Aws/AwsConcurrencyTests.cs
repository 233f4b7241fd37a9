using System.Collections.Concurrent;
using System.Net;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// Two runners on one account: security groups changed by the other run are read again, the report adds up every
/// attempt, the keep period's record is shared through the lists' tags (so two machines converge), and a family split
/// over lists is repacked when it shrinks, the entries moved before any list goes.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsConcurrencyTests
{
    [Test]
    public async Task SecurityGroups_AnotherRunAuthorizedFirst_TheRunReadsAgainAndSucceeds()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 8000, 0, 5), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] common = ["-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", "0s"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, common);
        string next = GeneratedDocuments.Write(work, 8001, 3, 8);
        account.Mirror.Serve(next);
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        int authorizes = 0;
        account.Proxy.BeforeForward = async (action, _) =>
        {
            if (action == "AuthorizeSecurityGroupEgress" && Interlocked.Increment(ref authorizes) == 1)
            {
                // The first run's authorize waits while the second run does the whole change.
                held.TrySetResult();
                await release.Task;
            }

            return null;
        };
        using SyncProcess first = SyncProcess.Start(account, [.. account.Common("one"), .. common]);
        await held.Task.WaitAsync(TimeSpan.FromMinutes(2));
        ProcessResult second = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common("two"), .. common]);
        release.SetResult();
        ProcessResult loser = await first.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.That(second.ExitCode, Is.Zero, second.Error);
        Assert.That(loser.ExitCode, Is.Zero, loser.Error);
        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(AwsSecurityGroupSyncTests.Cidrs(RuleSet.For(IpRangesDocument.Load(next), ["logs"]))));
        Assert.That(AwsGroups.Rules(account, group), Does.Contain(AwsGroups.Foreign));
    }

    /// <summary>
    /// Two real runs at once, each creating the split lists the new document needs. With two new lists (350 entries) the
    /// run that comes second used to settle on two lists named NAME-ipv4-3 (the fourth list's entries moved into the second
    /// -3) and no -ipv4-4.
    /// </summary>
    [TestCase(250, 3)]
    [TestCase(350, 4)]
    public async Task SecurityGroups_TwoRunsCreateTheSameSplitLists_BothSucceedOnListsOfDistinctNamesAndTheGroupReferencesEach(int entries, int parts)
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 8050, 0, 150), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] common = ["-s", "logs", "--group-id", group, "--max-entries", "100", "--rules-per-group", "1000", "--keep-removed", "0s"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, common);
        // 250 entries need a third IPv4 list, 350 a fourth too: the first run's first create waits while the second run does the whole change.
        account.Mirror.Serve(GeneratedDocuments.Write(work, 8051, 0, entries));
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        int creates = 0;
        account.Proxy.BeforeForward = async (action, _) =>
        {
            if (action == "CreateManagedPrefixList" && Interlocked.Increment(ref creates) == 1)
            {
                held.TrySetResult();
                await release.Task;
            }

            return null;
        };
        using SyncProcess first = SyncProcess.Start(account, [.. account.Common("one"), .. common]);
        await held.Task.WaitAsync(TimeSpan.FromMinutes(2));
        ProcessResult second = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common("two"), .. common]);
        release.SetResult();
        ProcessResult later = await first.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.That(second.ExitCode, Is.Zero, second.Error);
        Assert.That(later.ExitCode, Is.Zero, later.Error);
        IReadOnlyList<ListState> lists = account.Lists();
        Assert.That(AwsAccount.Entries(lists, "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, entries)));
        ListState[] ipv4 = [.. lists.Where(l => l.Tags["fwrules:family"] == "ipv4")];
        Assert.That(ipv4.Select(l => l.Name).ToArray(), Is.EqualTo(
            Enumerable.Range(1, parts).Select(part => part == 1 ? $"{account.Name}-ipv4" : $"{account.Name}-ipv4-{part}").Order(StringComparer.Ordinal).ToArray()),
            "two lists of one name are left, or a part is missing");
        Assert.That(ipv4.Select(l => l.Tags["fwrules:part"]), Is.Unique, "two lists of one part tag");
        string[] referenced = [.. AwsGroups.Rules(account, group)
            .Where(r => r.Owned && r.Target.StartsWith("pl-", StringComparison.Ordinal)).Select(r => $"{r.FromPort} {r.Target}").Order(StringComparer.Ordinal)];
        string[] every = [.. lists.SelectMany(l => new[] { $"443 {l.Id}", $"10516 {l.Id}" }).Order(StringComparer.Ordinal)];
        Assert.That(referenced, Is.EqualTo(every), "the group does not reference exactly the lists, on both ports");
    }

    [Test]
    public async Task VersionConflictOnTheSecondList_ReportAddsUpBothAttempts()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 8100, 0, 150));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--max-entries", "100");
        long edited = 0;
        account.Proxy.BeforeModify = async call =>
        {
            if (edited == 0 && call.Name.EndsWith("-ipv4-2", StringComparison.Ordinal) && call.Add.Length + call.Remove.Length > 0)
            {
                edited = await account.Proxy.HandEditAsync(call.Id, call.Name, "192.0.2.0/24");
            }

            return null;
        };
        // The first list swaps 12 for 12 (attempt 1), then the second list's write meets the edit: attempt 2 does the rest.
        account.Mirror.Serve(GeneratedDocuments.Write(work, 8101, 12, 170));

        ProcessResult run = await account.SyncAsync("-s", "logs", "--max-entries", "100", "--keep-removed", "0s");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(edited, Is.Positive, "the second list was not written");
        string firstList = run.Output.Split('\n').Single(l => l.TrimStart().StartsWith($"{account.Name}-ipv4 (", StringComparison.Ordinal));
        Assert.That(firstList, Does.Contain("modify +12 -12"), "the report holds the last attempt only");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(12, 170)));
    }

    [Test]
    public async Task TwoRunnersAlternating_DuringTheKeepPeriod_KeepTheSameListsWithoutFlapping()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 8200, 0, 40));
        string[] common = ["-s", "logs", "--keep-removed", "1h"];
        ProcessResult Run(string runner) =>
            FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common(runner), .. common]).GetAwaiter().GetResult();
        Assert.That(Run("one").ExitCode, Is.Zero);
        account.Mirror.Serve(GeneratedDocuments.Write(work, 8201, 10, 40));
        int before = account.Proxy.Calls.Count;

        // "two" never saw the ten go: it learns them from the account (the lists' seen time, then the record "one" writes).
        foreach (string runner in (string[])["two", "one", "two", "one", "two"])
        {
            ProcessResult run = Run(runner);
            Assert.That(run.ExitCode, Is.Zero, runner + ": " + run.Error);
            Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, 40)), $"{runner} does not keep what the other keeps");
        }

        Assert.That(account.Proxy.Calls.Skip(before), Has.None.Matches<ModifyCall>(c => c.Add.Length + c.Remove.Length > 0), "the runners flapped");
        ListState first = account.Lists().First(l => l.Tags["fwrules:family"] == "ipv4");
        Assert.That(first.Tags.GetValueOrDefault("fwrules:grace-1"), Does.StartWith("=logs @"));
        Assert.That(first.Tags.Values, Has.All.Length.LessThanOrEqualTo(256));

        // Past the keep period (0 here), both drop them and agree.
        foreach (string runner in (string[])["two", "one"])
        {
            ProcessResult run = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common(runner), "-s", "logs", "--keep-removed", "0s"]);
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(10, 40)));
        }
    }

    [Test]
    public async Task SplitListsLeftSparse_AreRepackedWithTheEntriesMovedBeforeAListIsDeleted()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 8300, 0, 250));
        string[] common = ["-s", "logs", "--max-entries", "100", "--keep-removed", "0s"];
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, common);
        Assert.That(account.Lists().Count(l => l.Tags["fwrules:family"] == "ipv4"), Is.EqualTo(3));
        var deletedAfter = new ConcurrentBag<int>();
        account.Proxy.BeforeForward = (action, _) =>
        {
            if (action == "DeleteManagedPrefixList")
            {
                deletedAfter.Add(account.Proxy.Calls.Count);
            }

            return Task.FromResult<string?>(null);
        };
        int before = account.Proxy.Calls.Count;
        // 160 entries left over three lists (10, 100, 50): two lists hold them.
        account.Mirror.Serve(GeneratedDocuments.Write(work, 8301, 90, 250));

        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, common);

        IReadOnlyList<ListState> lists = [.. account.Lists().Where(l => l.Tags["fwrules:family"] == "ipv4")];
        Assert.That(lists, Has.Count.EqualTo(2), "the lists were not repacked");
        Assert.That(AwsAccount.Entries(lists, "ipv4"), Is.EqualTo(GeneratedDocuments.Range(90, 250)));
        PrefixSet wanted = GeneratedDocuments.Range(90, 250);
        IReadOnlyList<ModifyCall> calls = [.. account.Proxy.Calls.Skip(before)];
        Assert.That(calls.SelectMany(c => c.Remove), Has.None.Matches<string>(r => wanted.Contains(IPNetwork.Parse(r))), "a published entry was removed");
        Assert.That(deletedAfter, Has.Count.EqualTo(1));
        PrefixSet addedBeforeDelete = PrefixSet.Create(account.Proxy.Calls.Take(deletedAfter.Single()).Skip(before).SelectMany(c => c.Add).Select(IPNetwork.Parse));
        Assert.That(addedBeforeDelete, Is.SupersetOf(GeneratedDocuments.Range(200, 250)), "a list went before its entries were moved");
    }

    [Test]
    public async Task Settle_AChangeAwsDoesNotKeep_SaysWhatIsLeftAndDoesNotBlameAnotherRun()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 1000, 0, 1150));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");

        // 140 of the second list's 150 go: the list is to shrink, and the resize is answered as moto answers it.
        account.Proxy.KeepsResizes = false;
        account.Mirror.Serve(GeneratedDocuments.Write(work, 1001, 0, 1010));
        ProcessResult run = await account.SyncAsync("-s", "logs", "--keep-removed", "0s");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output);
        Assert.That(run.Error, Does.Contain($"{account.Name}-ipv4-2: MaxEntries is 165, to be ").And.Contain("the same way every time"));
        Assert.That(run.Error, Does.Contain("rules-per-group quota").And.Contain("--max-entries "), "the quota it costs and the resize by hand are not named");
        Assert.That(run.Error, Does.Not.Contain("another run at once"));
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, 1010)), "the entries were changed");
    }

    [Test]
    public async Task Settle_AnotherRunnerUndoesEveryAttempt_TheRunGivesUpNamingAnotherWriterAndTheListIsWhole()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 8400, 0, 40));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        string ipv4 = account.Lists().Single(l => l.Name == $"{account.Name}-ipv4").Id;
        // Runner "two" syncs another document from a mirror of its own, with its own state and cache: a second machine.
        await using IpRangesServer other = await IpRangesServer.StartAsync(GeneratedDocuments.Write(work, 8402, 5, 45));
        string[] two = [.. account.Common("two"), "-s", "logs", "--keep-removed", "0s"];
        two[Array.IndexOf(two, "--base-url") + 1] = other.BaseUri.AbsoluteUri;
        AwsAccount.Seed(two[Array.IndexOf(two, "--cache") + 1], other.BaseUri);
        var twoExits = new ConcurrentQueue<ProcessResult>();
        account.Proxy.BeforeForward = async (action, form) =>
        {
            // Runner one tags its IPv4 list with its document's version after each change: runner two then runs whole, undoing it.
            if (action == "CreateTags" && form.GetValueOrDefault("ResourceId.1") == ipv4
                && form.Any(p => p.Key.StartsWith("Tag.", StringComparison.Ordinal) && p.Value == "8401") && twoExits.Count < 10)
            {
                twoExits.Enqueue(await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, two));
            }

            return null;
        };
        account.Mirror.Serve(GeneratedDocuments.Write(work, 8401, 10, 50));

        ProcessResult one = await account.SyncAsync("-s", "logs", "--keep-removed", "0s");

        Assert.That(twoExits.Select(r => r.ExitCode), Has.All.Zero, string.Join('\n', twoExits.Select(r => r.Error)));
        Assert.That(twoExits, Has.Count.GreaterThanOrEqualTo(2), "runner two did not run between runner one's attempts");
        Assert.That(one.ExitCode, Is.EqualTo(1), one.Output);
        string line = one.Error.Trim();
        Assert.That(line.Split('\n'), Has.Length.EqualTo(1), "not one line");
        Assert.That(line, Does.Contain("changed by someone else").And.Contain($"{account.Name}-ipv4"));
        Assert.That(line, Does.Not.Contain("did not keep"), "another writer's change blamed on AWS");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(5, 45)), "the list is not runner two's whole");
    }

    [Test]
    public async Task CidrRules_ARunnerThatDidNotSeeAPrefixGo_KeepsItsRuleForTheKeepPeriodInsteadOfRevokingIt()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        string first = GeneratedDocuments.Write(work, 8500, 0, 8);
        await using AwsAccount account = await AwsAccount.StartAsync(first, "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] keep = ["-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", "1h"];
        ProcessResult Run(string runner, string[] args) =>
            FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common(runner), .. args]).GetAwaiter().GetResult();
        Assert.That(Run("one", keep).ExitCode, Is.Zero);
        string[] before = AwsGroups.Owned(account, group);
        string next = GeneratedDocuments.Write(work, 8501, 3, 8);
        account.Mirror.Serve(next);
        int changes = 0;
        account.Proxy.BeforeForward = (action, _) =>
        {
            if (action is "AuthorizeSecurityGroupEgress" or "RevokeSecurityGroupEgress")
            {
                Interlocked.Increment(ref changes);
            }

            return Task.FromResult<string?>(null);
        };

        // "one" saw the three go; "two" (another machine, a state of its own) never did: neither cuts them within the hour.
        foreach (string runner in (string[])["one", "two", "one", "two"])
        {
            ProcessResult run = Run(runner, keep);
            Assert.That(run.ExitCode, Is.Zero, runner + ": " + run.Error);
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(before), $"{runner} revoked a rule the other keeps");
        }

        Assert.That(changes, Is.Zero, "the runners flapped");

        // Past the keep period (0 here), both drop them and agree.
        foreach (string runner in (string[])["two", "one"])
        {
            ProcessResult run = Run(runner, ["-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", "0s"]);
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(AwsSecurityGroupSyncTests.Cidrs(RuleSet.For(IpRangesDocument.Load(next), ["logs"]))));
        }
    }
}
