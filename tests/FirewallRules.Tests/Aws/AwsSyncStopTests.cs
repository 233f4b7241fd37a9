using FirewallRules.Cli;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// SIGTERM (systemd's stop, <c>TimeoutStartSec=</c>) and SIGINT (Ctrl+C) sent to a real <c>fwrules sync</c> while a
/// change of several calls is part-way: the run stops at its next call, puts the list back, and exits with the signal's
/// status and one line.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsSyncStopTests
{
    /// <summary>The region and account every stopped run works in, named as the summary names them (moto's account).</summary>
    private const string Where = "(region us-east-1, account 123456789012)";

    /// <summary>How long AWS takes to answer a call the tests hold in flight (moto answers at once; the proxy holds the call).</summary>
    internal static readonly TimeSpan AwsLatency = TimeSpan.FromSeconds(6);

    [TestCase("TERM", 143, "SIGTERM")]
    [TestCase("INT", 130, "SIGINT")]
    public async Task Signal_DuringAChangeOfSeveralCalls_ListIsPutBackAndTheRunExitsWithTheSignalsStatusAndOneLine(string signal, int status, string name)
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 7000, 0, 50));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        PrefixSet before = AwsAccount.Entries(account.Lists(), "ipv4");
        var arrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        int entryCalls = 0;
        account.Proxy.BeforeModify = async call =>
        {
            if (call.Add.Length + call.Remove.Length > 0 && Interlocked.Increment(ref entryCalls) == 2)
            {
                // The second of three calls is in flight when the signal comes, and is answered half a second later: the
                // run awaits that answer, so the list moved twice past the version read before it is put back.
                arrived.TrySetResult();
                await release.Task;
            }

            return null;
        };
        account.Mirror.Serve(GeneratedDocuments.Write(work, 7001, 30, 280));
        using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), "-s", "logs", "--keep-removed", "0s"]);
        ProcessResult stopped = await sync.StopWhenHeldAsync(arrived.Task, signal, release);

        Assert.That(SyncProcess.StopLine(stopped, status), Does.StartWith($"fwrules: sync: stopped by {name} {Where};"),
            "the line names the region and account, as the summary does");
        Assert.That(stopped.Error, Does.Not.Contain("Exception").And.Not.Contain("   at "));
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(before), "the list holds part of the change");
        Assert.That(account.Proxy.Calls, Has.Some.Matches<ModifyCall>(c => c.Name == "(restore)"), "nothing was put back");
        ListState ipv4 = account.Lists().Single(l => l.Tags["fwrules:family"] == "ipv4");
        Assert.That(stopped.Error, Does.Contain($"{ipv4.Name} ({ipv4.Id}) holds version {ipv4.Version}, {Wording.Count(ipv4.Entries.Count, "entry", "entries")}: " +
            "its old ones, put back " +
            "(document version 7000)"), "the line does not say what the list holds");

        account.Proxy.BeforeModify = null;
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--keep-removed", "0s");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(30, 280)));
    }

    [Test]
    public async Task Signal_PrefixListsOnlyBeforeAnyCall_TheLineNamesPrefixListsAndNoSecurityGroup()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 7100, 0, 20));
        // The run's first call to the account: the stop comes while it is in flight.
        (TaskCompletionSource arrived, TaskCompletionSource release) = HoldAt(account, "DescribeManagedPrefixLists");
        using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), "-s", "logs"]);
        ProcessResult stopped = await sync.StopWhenHeldAsync(arrived.Task, "TERM", release);

        string line = SyncProcess.StopLine(stopped);
        Assert.That(line, Does.StartWith($"fwrules: sync: stopped by SIGTERM {Where} before any change").And.Contain("prefix list"));
        Assert.That(line, Does.Not.Contain("security group"), "a prefix-list sync has no security group");
        Assert.That(line, Does.EndWith("before any change: no prefix list was changed; the account was left as it was"));
        Assert.That(account.Lists(), Is.Empty);
    }

    [Test]
    public async Task Signal_WhileAListIsBeingCreated_TheCreateIsAnsweredAndTheListDeletedSoNoPartFilledListStays()
    {
        using var documents = new TempFiles();
        // 250 entries: the list is created with 100 of them, then filled; the stop comes while the create is in flight, and AWS makes
        // the list after it (released half a second after the signal).
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 7120, 0, 250));
        (TaskCompletionSource arrived, TaskCompletionSource release) = HoldAt(account, "CreateManagedPrefixList");
        using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), "-s", "logs"]);
        ProcessResult stopped = await sync.StopWhenHeldAsync(arrived.Task, "TERM", release);

        string line = SyncProcess.StopLine(stopped);
        Assert.That(account.Lists(), Is.Empty, $"a list made by the create in flight stayed: {line}");
        Assert.That(line, Does.StartWith($"fwrules: sync: stopped by SIGTERM {Where}"));
    }

    [Test]
    public async Task Signal_WhileTheAccountIsAskedOfSts_TheLineNamesTheRegionAndNoAccount()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 7150, 0, 20));
        (TaskCompletionSource arrived, TaskCompletionSource release) = HoldAt(account, "GetCallerIdentity");
        using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), "-s", "logs"]);
        ProcessResult stopped = await sync.StopWhenHeldAsync(arrived.Task, "TERM", release);

        Assert.That(SyncProcess.StopLine(stopped), Is.EqualTo(
            "fwrules: sync: stopped by SIGTERM (region us-east-1) before any change: no prefix list was changed; the account was left as it was"));
        Assert.That(account.Lists(), Is.Empty);
    }

    [Test]
    public async Task Signal_AfterTheEntriesChangedBeforeTheTag_TheLineNamesEachListsVersionEntriesAndWhichDocumentTheyAre()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 7300, 0, 50));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        ListState ipv6Before = account.Lists().Single(l => l.Tags["fwrules:family"] == "ipv6");
        // The IPv4 list holds its new entries, and the tag saying which document they come from is in flight.
        (TaskCompletionSource arrived, TaskCompletionSource release) = HoldAt(account, "CreateTags");
        account.Mirror.Serve(GeneratedDocuments.Write(work, 7301, 30, 280));
        using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), "-s", "logs", "--keep-removed", "0s"]);
        ProcessResult stopped = await sync.StopWhenHeldAsync(arrived.Task, "TERM", release);

        string line = SyncProcess.StopLine(stopped);
        IReadOnlyList<ListState> lists = account.Lists();
        ListState ipv4 = lists.Single(l => l.Tags["fwrules:family"] == "ipv4");
        ListState ipv6 = lists.Single(l => l.Tags["fwrules:family"] == "ipv6");
        Assert.That(AwsAccount.Entries(lists, "ipv4"), Is.EqualTo(GeneratedDocuments.Range(30, 280)), "the list does not hold the new entries");
        Assert.That(line, Does.StartWith($"fwrules: sync: stopped by SIGTERM {Where}; read again, "));
        Assert.That(line, Does.Contain($"{ipv4.Name} ({ipv4.Id}) holds version {ipv4.Version}, 250 entries: the new ones (document version 7301)"));
        Assert.That(line, Does.Contain($"{ipv6.Name} ({ipv6.Id}) holds version {ipv6Before.Version}, {Wording.Count(ipv6Before.Entries.Count, "entry", "entries")}, " +
            "as before this run " +
            "(document version 7300)"));
        Assert.That(line, Does.EndWith("the next run finishes the change"));
    }

    [Test]
    public async Task StateOfAnotherSite_PrefixLists_RefusedSayingTheAccountNotAFirewallWasLeftAsItWas()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 7200, 0, 20));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        string state = Path.Combine(account.Directory, "state", "aws", account.Name, "state.json");
        File.WriteAllText(state, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(state), "\"source\": \"[^\"]*\"",
            "\"source\": \"https://ip-ranges.datadoghq.eu/\""));

        ProcessResult refused = await account.SyncAsync("-s", "logs");

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Output);
        string line = refused.Error.Trim();
        Assert.That(line.Split('\n'), Has.Length.EqualTo(1), "not one line");
        Assert.That(line, Does.Contain("belongs to https://ip-ranges.datadoghq.eu/").And.EndWith("the account was left as it was"));
        Assert.That(line, Does.Not.Contain("firewall"));
    }

    /// <summary>
    /// SIGTERM 0.3 s after a security-group call reached AWS, which answers it <see cref="AwsLatency"/> later (the proxy
    /// standing in for AWS's latency, which moto lacks): the run awaits the answer, and the line says what the group holds after it.
    /// </summary>
    [TestCase("AuthorizeSecurityGroupEgress", "its old rules and the new ones ({0} added, the {1} no longer wanted not yet revoked; nothing was cut)")]
    [TestCase("RevokeSecurityGroupEgress", "the new rules ({0} added, {1} revoked)")]
    public async Task Signal_SecurityGroupChangePartWay_TheLineReadsEachGroupBackAndNamesWhatItHolds(string heldCall, string holds)
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 7400, 0, 6), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] tail = ["-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", "0s"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, tail);
        string[] old = AwsGroups.Owned(account, group);
        (TaskCompletionSource arrived, TaskCompletionSource release) = HoldInFlight(account, heldCall);
        string next = GeneratedDocuments.Write(work, 7401, 2, 8);
        account.Mirror.Serve(next);
        string[] wanted = AwsSecurityGroupSyncTests.Cidrs(RuleSet.For(IpRangesDocument.Load(next), ["logs"]));
        using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), .. tail]);
        ProcessResult stopped = await sync.StopWhileInFlightAsync(arrived.Task, release, AwsLatency);
        await account.Proxy.IdleAsync();

        holds = string.Format(System.Globalization.CultureInfo.InvariantCulture, holds, wanted.Except(old).Count(), old.Except(wanted).Count());
        string line = SyncProcess.StopLine(stopped);
        int owned = AwsGroups.Owned(account, group).Length;
        Assert.That(line, Does.StartWith($"fwrules: sync: stopped by SIGTERM {Where}; security groups read again: ")
            .And.Contain($"security group {group} holds {Wording.Count(owned, "owned rule", "owned rules")}: {holds}").And.EndWith("the next run finishes the change"),
            $"the line does not say what the group holds, read back after the call in flight: {line}");

        account.Proxy.BeforeForward = null;
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, tail);
        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(wanted));
    }

    [Test]
    public async Task Signal_AuthorizeInFlightForAListCreatedInThisRun_TheLineSaysTheGroupHoldsTheNewRules()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        // The first document publishes no logs IPv6 prefix: the next one makes the run create the IPv6 list and a rule referencing it.
        await using AwsAccount account = await AwsAccount.StartAsync(WithoutLogsIPv6(GeneratedDocuments.Write(work, 7500, 0, 6)), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] tail = ["-s", "logs", "--group-id", group, "--keep-removed", "0s"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, tail);
        Assert.That(account.Lists().Where(l => l.Tags["fwrules:family"] == "ipv6"), Is.Empty, "the first run made an IPv6 list");
        (TaskCompletionSource arrived, TaskCompletionSource release) = HoldInFlight(account, "AuthorizeSecurityGroupEgress");
        account.Mirror.Serve(GeneratedDocuments.Write(work, 7501, 0, 6));
        using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), .. tail]);
        ProcessResult stopped = await sync.StopWhileInFlightAsync(arrived.Task, release, AwsLatency);
        await account.Proxy.IdleAsync();

        string line = SyncProcess.StopLine(stopped);
        ListState ipv6 = account.Lists().Single(l => l.Tags["fwrules:family"] == "ipv6");
        int owned = AwsGroups.Owned(account, group).Length;
        Assert.That(line, Does.Contain(
            $"{ipv6.Name} ({ipv6.Id}) holds version {ipv6.Version}, {Wording.Count(ipv6.Entries.Count, "entry", "entries")}: the new ones (document version 7501)"));
        Assert.That(line, Does.Contain($"security groups read again: security group {group} holds {Wording.Count(owned, "owned rule", "owned rules")}: the new rules (")
            .And.Not.Contain("other than planned"), "the rule referencing the list created in this run is not seen as the planned one");

        account.Proxy.BeforeForward = null;
        ProcessResult next = await AwsSecurityGroupSyncTests.SucceedsAsync(account, tail);
        Assert.That(AwsGroups.Owned(account, group), Has.Length.EqualTo(owned), next.Output);
    }

    [Test]
    public async Task Signal_AfterTheModifyReturnedAndTheRestoreFailed_TheLineSaysTheListHoldsTheNewOnesAndNamesTheGroup()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 7600, 0, 16), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] tail = ["-s", "logs", "--group-id", group, "--keep-removed", "0s"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, tail);
        // moto has no RestoreManagedPrefixListVersion; the stop comes while the run waits for its one modify call to complete.
        account.Proxy.RestoresAsMoto = true;
        int modified = 0;
        account.Proxy.BeforeModify = _ =>
        {
            Interlocked.Exchange(ref modified, 1);
            return Task.FromResult<string?>(null);
        };
        var arrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        account.Proxy.BeforeForward = async (called, _) =>
        {
            if (called == "DescribeManagedPrefixLists" && Volatile.Read(ref modified) == 1 && arrived.TrySetResult())
            {
                await release.Task;
            }

            return null;
        };
        account.Mirror.Serve(GeneratedDocuments.Write(work, 7601, 9, 28));
        using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), .. tail]);
        ProcessResult stopped = await sync.StopWhenHeldAsync(arrived.Task, "TERM", release);

        string line = SyncProcess.StopLine(stopped);
        ListState ipv4 = account.Lists().Single(l => l.Tags["fwrules:family"] == "ipv4");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(9, 28)), "the modify did not land");
        Assert.That(line, Does.StartWith($"fwrules: sync: stopped by SIGTERM {Where}; restoring prefix list {ipv4.Id}").And.Contain("HTTP 500"), "the failed restore");
        Assert.That(line, Does.Contain($"{ipv4.Name} ({ipv4.Id}) holds version {ipv4.Version}, 19 entries: the new ones (document version 7601)")
            .And.Not.Contain("part of the change"), "the list holds the whole change");
        Assert.That(line, Does.Contain($"security groups read again: security group {group} holds ").And.EndWith("the next run finishes the change"));

        (account.Proxy.BeforeForward, account.Proxy.BeforeModify, account.Proxy.RestoresAsMoto) = (null, null, false);
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, tail);
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(9, 28)));
    }

    /// <summary>
    /// SIGTERM 0.3 s after the list's one modify call (100 entries removed, 100 added) reached AWS, which answers it
    /// <see cref="AwsLatency"/> later. The proxy stands in for AWS's latency, which moto lacks (it answers at once): it holds the call, and lets it
    /// through when the run exits (a run that gave up on the answer) or after that latency.
    /// </summary>
    [Test]
    public async Task Signal_WhileTheOnlyModifyIsInFlight_TheRunAwaitsItsAnswerPutsTheListBackAndTheLineSaysWhatItHolds()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 7700, 0, 150));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        ListState before = account.Lists().Single(l => l.Tags["fwrules:family"] == "ipv4");
        var arrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        account.Proxy.BeforeModify = async call =>
        {
            if (call.Add.Length + call.Remove.Length > 0 && arrived.TrySetResult())
            {
                await release.Task;
            }

            return null;
        };
        account.Mirror.Serve(GeneratedDocuments.Write(work, 7701, 100, 250));
        using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), "-s", "logs", "--keep-removed", "0s"]);
        ProcessResult stopped = await sync.StopWhileInFlightAsync(arrived.Task, release, AwsLatency);
        await account.Proxy.IdleAsync();

        string line = SyncProcess.StopLine(stopped);
        ListState after = account.Lists().Single(l => l.Tags["fwrules:family"] == "ipv4");
        Assert.That(PrefixSet.Create(after.Entries), Is.EqualTo(PrefixSet.Create(before.Entries)), $"the list holds the change after the run exited: {line}");
        Assert.That(account.Proxy.Calls, Has.Some.Matches<ModifyCall>(c => c.Name == "(restore)"), "nothing was put back");
        Assert.That(line, Does.StartWith($"fwrules: sync: stopped by SIGTERM {Where}; read again, ")
            .And.Contain($"{after.Name} ({after.Id}) holds version {after.Version}, 150 entries: its old ones, put back (document version 7700)")
            .And.EndWith("the next run finishes the change"), "the line does not say what the list holds after the call in flight");

        account.Proxy.BeforeModify = null;
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--keep-removed", "0s");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(100, 250)));
    }

    /// <summary>The document at <paramref name="path"/> with no logs IPv6 prefix.</summary>
    private static string WithoutLogsIPv6(string path)
    {
        System.Text.Json.Nodes.JsonNode document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        document["logs"]!["prefixes_ipv6"] = new System.Text.Json.Nodes.JsonArray();
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    /// <summary>
    /// Holds the first call of <paramref name="action"/> (after answering the first with <paramref name="firstAnswer"/>, when
    /// given) at the proxy until released: AWS's answer, slow to come; arrived once the call is held.
    /// </summary>
    internal static (TaskCompletionSource Arrived, TaskCompletionSource Release) HoldInFlight(AwsAccount account, string action, string? firstAnswer = null)
    {
        var arrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        int calls = 0;
        account.Proxy.BeforeForward = async (called, _) =>
        {
            if (called == action && Interlocked.Increment(ref calls) == 1 && firstAnswer is not null)
            {
                return firstAnswer;
            }

            if (called == action && arrived.TrySetResult())
            {
                await release.Task;
            }

            return null;
        };
        return (arrived, release);
    }

    /// <summary>Holds each call of <paramref name="action"/> at the proxy until released; arrived once the first is in flight.</summary>
    private static (TaskCompletionSource Arrived, TaskCompletionSource Release) HoldAt(AwsAccount account, string action)
    {
        var arrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        account.Proxy.BeforeForward = async (called, _) =>
        {
            if (called == action)
            {
                arrived.TrySetResult();
                await release.Task;
            }

            return null;
        };
        return (arrived, release);
    }
}
