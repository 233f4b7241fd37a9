using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// Who keeps a name's prefix lists (two syncs of different formats on one list are refused, as host sync refuses two
/// syncs on one table), and what the account's grace record leaves to each runner's own state, counted as the lists hold it.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsListOwnershipTests
{
    [Test]
    public async Task SecurityGroupSync_OnListsAPrefixListSyncKeeps_RefusedInOneLineNamingThatSyncAndNothingChanges()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 7400, 0, 20));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        (_, string group) = AwsGroups.Create(account);
        string[] lists = [.. account.Lists().Select(AwsPrefixListSyncTests.Fingerprint)];
        account.Mirror.Serve(GeneratedDocuments.Write(work, 7401, 5, 30));

        // A second, separate sync: its own format, state and cache, the same --name (the default name of both, in the trial).
        ProcessResult refused = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null,
            "sync", "-f", "aws-sg", "--base-url", account.Mirror.BaseUri.AbsoluteUri, "--allow-http", "--cache", account.Cache("cache-sg"),
            "--state", Path.Combine(account.Directory, "state-sg"), "--name", account.Name, "--group-id", group, "--rules-per-group", "1000", "-s", "logs", "--keep-removed", "0s");

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Error + refused.Output);
        string line = refused.Error.Trim();
        Assert.That(line.Split('\n'), Has.Length.EqualTo(1), "not one line");
        Assert.That(line, Does.Contain($"is kept by another fwrules sync, -f aws-prefix-list --name {account.Name}").And.EndWith("the account was left as it was"));
        Assert.That(account.Lists().Select(AwsPrefixListSyncTests.Fingerprint), Is.EqualTo(lists), "a list was changed");
        Assert.That(AwsGroups.Owned(account, group), Is.Empty, "the group was changed");
        Assert.That(account.Lists(), Has.All.Matches<ListState>(l => l.Tags.GetValueOrDefault("fwrules:format") == "aws-prefix-list"), "the lists do not say who keeps them");

        // The sync that keeps them goes on as before.
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs", "--keep-removed", "0s");
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(5, 30)));
    }

    [Test]
    public async Task GraceRecordFull_PrefixesKeptBySeveralSections_AreCutOnceEachAndTheRecordNamesEveryKeptEntry()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        string[] sections = ["agents", "apm", "logs"];
        await using AwsAccount account = await AwsAccount.StartAsync(Shared(work, 7500, 0, 1800, sections));
        string[] selected = [.. sections.SelectMany(s => new[] { "-s", s })];
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, selected);
        // The same 850 prefixes leave three sections at once (47%, under the 50% a document may lose): more than the
        // record's 40 tags hold (about 720 /32s), and three times more counted per section.
        string next = Shared(work, 7501, 850, 2650, sections);
        account.Mirror.Serve(next);

        ProcessResult run = await account.SyncAsync([.. selected, "--keep-removed", "24h"]);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        IReadOnlyList<ListState> lists = account.Lists().Where(l => l.Tags["fwrules:family"] == "ipv4").ToList();
        PrefixSet recorded = PrefixSet.Create(lists.SelectMany(l => l.Tags).Where(t => t.Key.StartsWith("fwrules:grace-", StringComparison.Ordinal))
            .SelectMany(t => t.Value.Split(' ')).Where(token => token[0] is not ('=' or '@')).Select(IPNetwork.Parse));
        PrefixSet published = RuleSet.For(IpRangesDocument.Load(next), sections).Prefixes.IPv4, held = PrefixSet.Create(lists.SelectMany(l => l.Entries));
        PrefixSet kept = held.Except(published);
        Assert.That(held, Is.SupersetOf(published));
        Assert.That(kept.Count, Is.InRange(500, 849), "some of the 850 are kept, the rest cut");
        Assert.That(recorded, Is.EqualTo(kept), "the record names every kept entry of the lists, and nothing else");
        Assert.That(run.Error, Does.Contain(string.Create(CultureInfo.InvariantCulture,
            $"fwrules: warning: not loaded: {850 - kept.Count} prefixes still within --keep-removed were removed early")), "each cut prefix counted once, not per section");
        Assert.That(run.Error, Does.Not.Contain("state alone"));
    }

    /// <summary>
    /// A document of <paramref name="version"/> whose <paramref name="sections"/> each publish the IPv4 prefixes
    /// <paramref name="from"/> to <paramref name="to"/> (exclusive).
    /// </summary>
    private static string Shared(string directory, long version, int from, int to, string[] sections)
    {
        JsonNode document = JsonNode.Parse(File.ReadAllText(TestData.IpRangesDocuments[^1]))!;
        document["version"] = version;
        foreach (string section in sections)
        {
            document[section]!["prefixes_ipv4"] = new JsonArray([.. Enumerable.Range(from, to - from).Select(i => JsonValue.Create(GeneratedDocuments.Prefix(i).ToString()))]);
        }

        string path = Path.Combine(directory, $"shared-v{version}.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }
}
