using System.Text.Json;
using System.Text.Json.Nodes;
using FirewallRules.Aws;
using FirewallRules.Rules;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// <c>fwrules sync -f aws-prefix-list</c> against moto on loopback (through <see cref="MotoPrefixListProxy"/>, which
/// answers version and size checks as AWS does), with the AWS SDK reading the account back (the AWS CLI where the expectation is the
/// document's own JSON).
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsPrefixListSyncTests
{
    [Test]
    public async Task Walk_RealDocumentsInOrder_ListsHoldTheCollapsedSectionsAtEveryStep()
    {
        IReadOnlyList<string> documents = TestData.IpRangesDocuments;
        await using AwsAccount account = await AwsAccount.StartAsync(documents[0]);
        PrefixSet? previous = null;
        bool graceSeen = false;
        foreach (string path in documents)
        {
            account.Mirror.Serve(path);
            IpRangesDocument document = IpRangesDocument.Load(path);
            PrefixSet expected = RuleSet.All(document).Prefixes;
            if (!graceSeen && previous is not null && previous.Except(expected).Count > 0)
            {
                // A prefix Datadog stopped publishing stays for its keep period, then goes.
                await SyncSucceedsAsync(account, "--keep-removed", "1h");
                AssertHolds(account, expected.Union(previous), document.Version);
                graceSeen = true;
            }

            await SyncSucceedsAsync(account, "--keep-removed", "0s");
            AssertHolds(account, expected, document.Version);
            previous = expected;
        }

        Assert.That(graceSeen, Is.True, "no step of the walk removed a prefix");
        IReadOnlyList<ModifyCall> calls = account.Proxy.Calls;
        Assert.That(calls, Has.Some.Matches<ModifyCall>(c => c.Add.Length + c.Remove.Length > 0), "the walk changed no entries");
        Assert.That(calls, Has.All.Matches<ModifyCall>(c => c.CarriedVersion == c.ListVersion), "a modify did not carry the version the list had");
        Assert.That(calls, Has.All.Matches<ModifyCall>(c => c.Add.Length <= 100 && c.Remove.Length <= 100));
        Assert.That(calls, Has.All.Matches<ModifyCall>(c => c.Name.Length > 0), "a modify left the name out (moto clears it)");

        // An older document is refused by the snapshot store before the account is read: nothing changes.
        IReadOnlyList<ListState> before = account.Lists();
        account.Mirror.Serve(documents[0]);
        ProcessResult older = await account.SyncAsync("--keep-removed", "0s");
        Assert.That(older.ExitCode, Is.EqualTo(1), older.Error);
        Assert.That(older.Error.Trim().Split('\n'), Has.Length.EqualTo(1).And.All.Contains("the account was left as it was"));
        Assert.That(account.Lists().Select(Fingerprint), Is.EqualTo(before.Select(Fingerprint)));
    }

    [Test]
    public async Task KeptPrefixesOutgrowingTheGraceRecord_TheOldestAreCutWithAWarningEvenQuiet_AndNoRunnerKeepsThemAgain()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 7799, 0, 600));
        string[] one = [.. account.Common("one"), "-s", "logs", "--keep-removed", "1h", "-q"];
        var errors = new List<string>();
        foreach ((int version, int from) in new[] { (7800, 0), (7801, 300), (7802, 600), (7803, 900) })
        {
            // A window of 600 moving by half (the store refuses more lost at once), a second apart: 900 kept at three times, more
            // than the record's 40 tags can name.
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            account.Mirror.Serve(GeneratedDocuments.Write(work, version, from, from + 600));
            ProcessResult run = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, one);
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            errors.Add(run.Error.Trim());
        }

        Assert.That(errors[..3], Has.All.Empty, "up to 600 kept at two times fit the record");
        Assert.That(errors[3], Does.Match("^fwrules: warning: " +
            @"not loaded: \d+ prefixes still within --keep-removed were removed early, the oldest kept \(e\.g\. 20\.0\.\d+\.\d+/32\)"));

        ProcessResult last = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, one);
        IReadOnlyList<ListState> lists = account.Lists();
        PrefixSet held = AwsAccount.Entries(lists, "ipv4"), kept = held.Except(GeneratedDocuments.Range(900, 1500));
        PrefixSet recorded = PrefixSet.Create(GraceRecord.Decode(lists.Single(l => l.Name == account.Name + "-ipv4").Tags).Select(r => r.Prefix));
        Assert.That(held, Is.SupersetOf(GeneratedDocuments.Range(300, 1500)), "the newer kept prefixes and the published ones stay whole");
        Assert.That(GeneratedDocuments.Range(0, 300).Except(held).Count, Is.InRange(100, 299), "some hundreds of the oldest were cut");
        Assert.That(recorded, Is.EqualTo(kept), "the record names every kept entry of the lists, and nothing else");

        // The cut happened in the last document's run; the account stays so for a quiet run, and for a runner that never saw any of it.
        Assert.That(last.Error, Is.Empty, "nothing left to cut");
        ProcessResult two = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common("two"), "-s", "logs", "--keep-removed", "1h"]);
        Assert.That(two.ExitCode, Is.Zero, two.Error);
        Assert.That(account.Lists().Select(Fingerprint), Is.EqualTo(lists.Select(Fingerprint)));
    }

    /// <summary>
    /// A list the package's <see cref="AwsPrefixListSync"/> creates holds every entry when <c>SyncAsync</c> returns, more than the 100
    /// one call takes included (the logs section's 250 IPv4 /32s), as a script calling the package sees it (<c>fwrules sync</c> plans
    /// again after its change and makes it again until the account is settled, which hides a loss within the run): read back with
    /// the real AWS CLI and compared, address by address, with what the document's JSON lists (<see cref="DatadogTraffic"/>), never
    /// with the lists the package planned.
    /// </summary>
    [Test]
    public async Task SyncAsync_CreatesListsLongerThanOneCall_EveryEntryIsThereWhenItReturns()
    {
        using var documents = new TempFiles();
        string path = GeneratedDocuments.Write(documents.DirectoryPath, 7799, 0, 250);
        JsonObject document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        await using AwsAccount account = await AwsAccount.StartAsync(path);

        await new AwsPrefixListSync(account.Ec2, new AwsPrefixListOptions { Name = account.Name })
            .SyncAsync(PrefixSet.Parse(string.Join('\n', DatadogTraffic.Prefixes(document, "logs"))), AddressFamilies.Both, CancellationToken.None);

        var entries = new List<string>();
        using (JsonDocument lists = JsonDocument.Parse(account.Aws("describe-managed-prefix-lists")))
        {
            foreach (JsonElement list in lists.RootElement.GetProperty("PrefixLists").EnumerateArray()
                .Where(l => l.TryGetProperty("Tags", out JsonElement tags) && tags.EnumerateArray().Any(t => t.GetProperty("Value").GetString() == account.Name)))
            {
                using JsonDocument held = JsonDocument.Parse(account.Aws("get-managed-prefix-list-entries", "--prefix-list-id", list.GetProperty("PrefixListId").GetString()!));
                entries.AddRange(held.RootElement.GetProperty("Entries").EnumerateArray().Select(e => e.GetProperty("Cidr").GetString()!));
            }
        }

        Assert.That(entries, Has.Count.GreaterThan(PrefixListWriter.MaxEntriesPerCall), "a section longer than one call");
        Assert.That(AddressSet.Of(entries).ToString(), Is.EqualTo(DatadogTraffic.Addresses(document, "logs").ToString()), "the lists against the logs section's JSON");
    }

    internal static async Task SyncSucceedsAsync(AwsAccount account, params string[] args)
    {
        ProcessResult run = await account.SyncAsync(args);
        Assert.That(run.ExitCode, Is.Zero, run.Error + run.Output);
    }

    /// <summary>The lists of each family hold exactly <paramref name="expected"/>, within their sizes and tagged with the version.</summary>
    internal static IReadOnlyList<ListState> AssertHolds(AwsAccount account, PrefixSet expected, long version)
    {
        IReadOnlyList<ListState> lists = account.Lists();
        Assert.Multiple(() =>
        {
            Assert.That(AwsAccount.Entries(lists, "ipv4"), Is.EqualTo(expected.IPv4), $"v{version} IPv4");
            Assert.That(AwsAccount.Entries(lists, "ipv6"), Is.EqualTo(expected.IPv6), $"v{version} IPv6");
            Assert.That(lists, Has.All.Matches<ListState>(l => l.Entries.Count > 0 && l.Entries.Count <= l.MaxEntries && l.MaxEntries <= 1000), "a list is empty or over its size");
            Assert.That(lists, Has.All.Matches<ListState>(l => l.Tags["fwrules:document-version"] == version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(lists.Select(l => l.Name), Has.All.StartsWith(account.Name + "-ipv"));
        });
        return lists;
    }

    internal static string Fingerprint(ListState list) => $"{list.Id} v{list.Version} max {list.MaxEntries}: {string.Join(' ', list.Entries)}";
}
