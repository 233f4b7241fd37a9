using System.Diagnostics;
using System.Globalization;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The paths moto cannot prove alone (see <see cref="MotoPrefixListProxy"/>): a list split over two, a write refused
/// because the list changed since it was read, two runs at once, a call failing part-way, and a run killed part-way.
/// Generated documents (logs only) make changes of several calls.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsPrefixListFaultTests
{
    [Test]
    public async Task Split_FamilyBeyondOneList_FillsTheFirstKeepsEntriesWhereTheyAreAndRemoveDeletesThem()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 1000, 0, 1150));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        List<ListState> first = account.Lists().Where(l => l.Tags["fwrules:family"] == "ipv4").ToList();
        Assert.That(first.Select(l => (l.Name, l.Entries.Count, l.MaxEntries)),
            Is.EqualTo(new[] { ($"{account.Name}-ipv4", 1000, 1000), ($"{account.Name}-ipv4-2", 150, 165) }));

        // 120 go, 130 come: the first list keeps its entries and refills to its size (removals first, so it never holds
        // more than 1000), the second takes the rest within its headroom.
        account.Mirror.Serve(GeneratedDocuments.Write(work, 1001, 120, 1280));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--keep-removed", "0s");

        List<ListState> second = account.Lists().Where(l => l.Tags["fwrules:family"] == "ipv4").ToList();
        PrefixSet wanted = GeneratedDocuments.Range(120, 1280);
        Assert.That(AwsAccount.Entries(second, "ipv4"), Is.EqualTo(wanted));
        Assert.That(second[0].Entries, Is.SupersetOf(first[0].Entries.Where(wanted.Contains)), "an entry of the first list moved");
        Assert.That(second.Select(l => (l.Entries.Count, l.MaxEntries)), Is.EqualTo(new[] { (1000, 1000), (160, 165) }));
        Assert.That(account.Proxy.Calls, Has.All.Matches<ModifyCall>(c => c.CarriedVersion == c.ListVersion && c.Add.Length <= 100 && c.Remove.Length <= 100));

        // --remove deletes what this name created, and a dry run of it changes nothing.
        ProcessResult dryRun = await account.SyncAsync("-s", "logs", "--remove", "--dry-run");
        Assert.That(dryRun.ExitCode, Is.Zero, dryRun.Error);
        Assert.That(dryRun.Output, Does.Contain("would delete"));
        Assert.That(account.Lists(), Has.Count.EqualTo(3));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--remove");
        Assert.That(account.Lists(), Is.Empty);
    }

    [Test]
    public async Task HandEdit_BetweenReadAndWrite_FailsThatCallAndTheRunReadsAgain()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 2000, 0, 40));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        long handEdit = 0;
        account.Proxy.BeforeModify = async call =>
        {
            if (handEdit == 0 && call.Add.Length > 0)
            {
                handEdit = await account.Proxy.HandEditAsync(call.Id, call.Name, "192.0.2.0/24");
            }

            return null;
        };
        account.Mirror.Serve(GeneratedDocuments.Write(work, 2001, 10, 60));

        ProcessResult run = await account.SyncAsync("-s", "logs", "--keep-removed", "0s");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(handEdit, Is.Positive, "no modify reached the proxy");
        IReadOnlyList<ModifyCall> calls = account.Proxy.Calls;
        Assert.That(calls, Has.Some.Matches<ModifyCall>(c => c.CarriedVersion == handEdit - 1), "the first write did not carry the version read");
        Assert.That(calls, Has.Some.Matches<ModifyCall>(c => c.CarriedVersion == handEdit && c.Remove.Contains("192.0.2.0/24")),
            "the run did not read the list again after the refusal");
        AwsPrefixListSyncTests.AssertHolds(account,
            GeneratedDocuments.Range(10, 60).Union(RuleSet.For(IpRangesDocument.Load(TestData.IpRangesDocuments[^1]), ["logs"]).Prefixes.IPv6), 2001);

        // Two runs at once, from two "machines" (their own state and cache, so no lock between them): the version decides.
        account.Proxy.BeforeModify = null;
        account.Mirror.Serve(GeneratedDocuments.Write(work, 2002, 30, 250));
        ProcessResult[] both = await Task.WhenAll(
            FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common("one"), "-s", "logs", "--keep-removed", "0s"]),
            FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common("two"), "-s", "logs", "--keep-removed", "0s"]));
        Assert.That(both.Select(r => r.ExitCode), Is.All.Zero, string.Join('\n', both.Select(r => r.Error)));
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(30, 250)));
    }

    [Test]
    public async Task CallFailsPartWay_ListIsRestoredToTheVersionReadAndTheRunExits1()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 3000, 0, 50));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        IReadOnlyList<ListState> before = account.Lists();
        int entryCalls = 0;
        account.Proxy.BeforeModify = call => Task.FromResult(call.Add.Length + call.Remove.Length > 0 && ++entryCalls == 3 ? "InvalidRequest" : null);
        // 30 go and 230 come: three calls of entries after a resize.
        account.Mirror.Serve(GeneratedDocuments.Write(work, 3001, 30, 280));

        ProcessResult failed = await account.SyncAsync("-s", "logs", "--keep-removed", "0s");

        Assert.That(failed.ExitCode, Is.EqualTo(1), failed.Output);
        Assert.That(failed.Error.Trim().Split('\n'), Has.Length.EqualTo(1).And.All.Contains("restored to version"));
        IReadOnlyList<ListState> after = account.Lists();
        Assert.That(after.Select(l => l.Entries.OrderBy(e => e.ToString()).ToArray()),
            Is.EqualTo(before.Select(l => l.Entries.OrderBy(e => e.ToString()).ToArray())), "a list holds part of the change");
        Assert.That(account.Proxy.Calls, Has.Some.Matches<ModifyCall>(c => c.Name == "(restore)" && c.CarriedVersion == c.ListVersion));

        account.Proxy.BeforeModify = null;
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--keep-removed", "0s");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(30, 280)));
    }

    [Test]
    public async Task ReadFailsAfterACallWentThrough_ListIsRestoredToTheVersionReadAndTheRunExits1()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 3000, 0, 50));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        IReadOnlyList<ListState> before = account.Lists();
        // The first call of entries goes through; the read that waits for it fails (an answered error, not a lost connection).
        bool written = false, failed = false;
        account.Proxy.BeforeModify = call => { written |= call.Add.Length + call.Remove.Length > 0; return Task.FromResult<string?>(null); };
        account.Proxy.BeforeForward = (action, _) =>
            Task.FromResult(written && !failed && action == "DescribeManagedPrefixLists" && (failed = true) ? "InternalError" : null);
        account.Mirror.Serve(GeneratedDocuments.Write(work, 3001, 30, 280));

        ProcessResult result = await account.SyncAsync("-s", "logs", "--keep-removed", "0s");

        Assert.That(failed, Is.True, "the read after the first call failed");
        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("restored to version"));
        Assert.That(account.Lists().Select(l => l.Entries.OrderBy(e => e.ToString()).ToArray()),
            Is.EqualTo(before.Select(l => l.Entries.OrderBy(e => e.ToString()).ToArray())), "a list holds part of the change");
    }

    [Test]
    public async Task EndpointLost_AfterACallWentThrough_OneLineSaysTheListMayHoldPartOfTheChangeExits3AndTheNextRunConverges()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 3050, 0, 50));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        // 30 go and 230 come: the first call of entries goes through, then every connection is lost before its answer.
        account.Proxy.CutAfterModify = call => call.Add.Length + call.Remove.Length > 0;
        account.Mirror.Serve(GeneratedDocuments.Write(work, 3051, 30, 280));

        ProcessResult failed = await account.SyncAsync("-s", "logs", "--keep-removed", "0s");

        account.Proxy.Reconnect();
        account.Proxy.CutAfterModify = null;
        string line = failed.Error.Trim();
        Assert.That(failed.ExitCode, Is.EqualTo(3), line);
        Assert.That(line.Split('\n'), Has.Length.EqualTo(1), "not one line");
        Assert.That(line, Does.Not.Contain("cache or the state"), "a lost connection blamed on the cache or the state");
        Assert.That(line, Does.Contain("restoring prefix list").And.Contain("may hold part of the change").And.Contain("the next run reads it again"));
        ListState list = account.Lists().Single(l => l.Name == $"{account.Name}-ipv4");
        Assert.That(list.Entries, Has.Count.Not.EqualTo(50).And.Count.Not.EqualTo(250), "the cut did not come part-way through the change");

        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--keep-removed", "0s");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(30, 280)));
    }

    [Test]
    public async Task RestoreFails_AfterACallFailsPartWay_OnePlainLineNamesBothErrorsWhatTheListHoldsAndWhatTheNextRunDoes()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 3100, 0, 50));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        int entryCalls = 0;
        account.Proxy.BeforeModify = call => Task.FromResult(call.Add.Length + call.Remove.Length > 0 && ++entryCalls == 3 ? "InvalidRequest" : null);
        // moto has no RestoreManagedPrefixListVersion: it answers with an HTML page (HTTP 500), as the operator's trial met it.
        account.Proxy.RestoresAsMoto = true;
        account.Mirror.Serve(GeneratedDocuments.Write(work, 3101, 30, 280));

        ProcessResult failed = await account.SyncAsync("-s", "logs", "--keep-removed", "0s");

        ListState list = account.Lists().Single(l => l.Name == $"{account.Name}-ipv4");
        Assert.That(failed.ExitCode, Is.EqualTo(1), failed.Output);
        string line = failed.Error.Trim();
        Assert.That(line.Split('\n'), Has.Length.EqualTo(1), "not one line");
        Assert.That(line, Does.Not.Contain("<").And.Not.Contain("HTTP Body").And.Not.Contain("doctype"), "a body dump");
        Assert.That(line, Does.Contain("InvalidRequest: "), "the failure's AWS error code");
        Assert.That(line, Does.Contain("HTTP 500"), "the restore's answer");
        Assert.That(line, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"holds version {list.Version}, {list.Entries.Count} entries")), "what is in force");
        Assert.That(line, Does.Contain("the next run reads it again"), "what the next run does");

        account.Proxy.BeforeModify = null;
        account.Proxy.RestoresAsMoto = false;
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--keep-removed", "0s");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(30, 280)));
    }

    [Test]
    public async Task CreatedListCannotBeDeleted_AfterACallFailsPartWay_OnePlainLineNamesBothErrorsAndWhatTheListHolds()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 3200, 0, 250));
        // A new list of 250: created with 100, then two calls; the first fails, and so does the delete that puts the list back.
        account.Proxy.BeforeModify = call => Task.FromResult(call.Add.Length > 0 ? "InvalidRequest" : null);
        account.Proxy.BeforeForward = (action, _) => Task.FromResult(action == "DeleteManagedPrefixList" ? "UnauthorizedOperation" : null);

        ProcessResult failed = await account.SyncAsync("-s", "logs");

        ListState list = account.Lists().Single(l => l.Name == $"{account.Name}-ipv4");
        Assert.That(failed.ExitCode, Is.EqualTo(1), failed.Error);
        string line = failed.Error.Trim();
        Assert.That(line.Split('\n'), Has.Length.EqualTo(1), "not one line");
        Assert.That(line, Does.Not.Contain("Exception").And.Not.Contain("   at "), "a stack trace");
        Assert.That(line, Does.Contain("InvalidRequest: "), "the failure's AWS error code");
        Assert.That(line, Does.Contain($"prefix list {list.Id} ({list.Name}), created by this run, could not be deleted"));
        Assert.That(line, Does.Contain("UnauthorizedOperation: "), "the delete's AWS error code");
        Assert.That(line, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"holds version {list.Version}, {list.Entries.Count} of the 250 entries to be")));
        Assert.That(line, Does.Contain("the next run reads it again"), "what the next run does");

        account.Proxy.BeforeModify = null;
        account.Proxy.BeforeForward = null;
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, 250)));
    }

    [Test]
    public async Task KilledPartWay_NextRunConverges()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 4000, 0, 20));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        var arrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        int entryCalls = 0;
        account.Proxy.BeforeModify = async call =>
        {
            if (call.Add.Length + call.Remove.Length > 0 && ++entryCalls == 2)
            {
                arrived.TrySetResult();
                await release.Task;
                return "InvalidRequest";
            }

            return null;
        };
        account.Mirror.Serve(GeneratedDocuments.Write(work, 4001, 10, 300));
        using Process sync = Start(account, [.. account.Common(), "-s", "logs", "--keep-removed", "0s"]);
        await arrived.Task.WaitAsync(TimeSpan.FromMinutes(2));
        sync.Kill();
        await sync.WaitForExitAsync();
        release.SetResult();
        account.Proxy.BeforeModify = null;

        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--keep-removed", "0s");

        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(10, 300)));
    }

    internal static Process Start(AwsAccount account, string[] args)
    {
        var start = new ProcessStartInfo(FwrulesProcess.Tool) { UseShellExecute = false,
            RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in account.Proxy.Environment)
        {
            start.Environment[name] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("fwrules did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
