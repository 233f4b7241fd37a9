using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// <c>fwrules sync -f aws-sg</c> against moto on loopback, the account read back with the AWS SDK: the real documents in
/// order, groups referencing the lists (two groups in two VPCs) or holding CIDR rules, a rule someone else added kept
/// throughout, grace, an older document refused, and <c>--remove</c>.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsSecurityGroupSyncTests
{
    [Test]
    public async Task Walk_ReferencingTheLists_EveryGroupReferencesEachListOnEachPortAtEveryStepAndKeepsTheForeignRule()
    {
        IReadOnlyList<string> documents = TestData.IpRangesDocuments;
        await using AwsAccount account = await AwsAccount.StartAsync(documents[0], "aws-sg");
        (string vpc1, string group1) = AwsGroups.Create(account);
        (string vpc2, string group2) = AwsGroups.Create(account);
        Assert.That(vpc1, Is.Not.EqualTo(vpc2));
        string[] common = ["-s", "logs", "--group-id", group1, "--group-id", group2, "--rules-per-group", "1000"];
        PrefixSet? previous = null;
        bool graceSeen = false;
        foreach (string path in documents)
        {
            account.Mirror.Serve(path);
            IpRangesDocument document = IpRangesDocument.Load(path);
            RuleSet logs = RuleSet.For(document, ["logs"]);
            if (!graceSeen && previous is not null && previous.Except(logs.Prefixes).Count > 0)
            {
                await SucceedsAsync(account, [.. common, "--keep-removed", "1h"]);
                AssertReferences(account, logs, logs.Prefixes.Union(previous), document.Version, group1, group2);
                graceSeen = true;
            }

            ProcessResult run = await SucceedsAsync(account, [.. common, "--keep-removed", "0s"]);
            AssertReferences(account, logs, logs.Prefixes, document.Version, group1, group2);
            Assert.That(run.Error.Trim().Split('\n'),
                Is.EquivalentTo(new[] { group1, group2 }.Select(g =>
                    $"fwrules: warning: sync: security group {g} still has the default allow-all egress rule (0.0.0.0/0 or ::/0, all traffic): its egress allow-rules " +
                    $"restrict nothing until that rule is revoked")));
            previous = logs.Prefixes;
        }

        Assert.That(graceSeen, Is.True, "no step of the walk removed a prefix");

        // An older document is refused before the account is read: no list, no rule changes.
        string[] before = [.. AwsGroups.Owned(account, group1), .. account.Lists().Select(AwsPrefixListSyncTests.Fingerprint)];
        account.Mirror.Serve(documents[0]);
        ProcessResult older = await account.SyncAsync([.. common, "--keep-removed", "0s"]);
        Assert.That(older.ExitCode, Is.EqualTo(1), older.Error);
        Assert.That(older.Error.Trim().Split('\n'), Has.Length.EqualTo(1).And.All.Contains("the account was left as it was"));
        Assert.That((string[])[.. AwsGroups.Owned(account, group1), .. account.Lists().Select(AwsPrefixListSyncTests.Fingerprint)], Is.EqualTo(before));

        // --remove (no group named: found by the rules it owns) revokes its rules, then deletes its lists; the rest stays.
        ProcessResult removed = await account.SyncAsync("-s", "logs", "--remove");
        Assert.That(removed.ExitCode, Is.Zero, removed.Error);
        Assert.That(removed.Output, Does.Contain($"revoked 4 rules of fwrules:{account.Name} in {group1}").And.Contain("deleted the prefix lists"));
        Assert.That(account.Lists(), Is.Empty);
        foreach (string group in (string[])[group1, group2])
        {
            Assert.That(AwsGroups.Rules(account, group).Select(r => r.Key), Is.EquivalentTo(new[] { "-1 -1--1 0.0.0.0/0", AwsGroups.Foreign.Key }));
        }
    }

    [Test]
    public async Task Walk_AsCidrRules_GroupHoldsTheCollapsedSectionAtEveryStepGraceThenGone()
    {
        IReadOnlyList<string> documents = TestData.IpRangesDocuments;
        await using AwsAccount account = await AwsAccount.StartAsync(documents[0], "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] common = ["-s", "apm", "--group-id", group, "--cidr-rules"];
        string[]? previous = null;
        bool graceSeen = false;
        foreach (string path in documents)
        {
            account.Mirror.Serve(path);
            string[] expected = Cidrs(RuleSet.For(IpRangesDocument.Load(path), ["apm"]));
            if (!graceSeen && previous is not null && previous.Except(expected).Any())
            {
                // Dry run first: the plan per group, and nothing changes.
                ProcessResult dryRun = await SucceedsAsync(account, [.. common, "--keep-removed", "1h", "--dry-run"]);
                Assert.That(dryRun.Output, Does.Contain($"  {group} (").And.Contain("prefixes kept in grace"));
                Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(previous));

                await SucceedsAsync(account, [.. common, "--keep-removed", "1h"]);
                Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(previous.Union(expected).Order(StringComparer.Ordinal)), "the removed prefix did not stay for its grace");
                graceSeen = true;
            }

            await SucceedsAsync(account, [.. common, "--keep-removed", "0s"]);
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(expected), path);
            Assert.That(AwsGroups.Rules(account, group), Does.Contain(AwsGroups.Foreign));
            Assert.That(AwsGroups.Rules(account, group).Where(r => r.Owned),
                Has.All.Matches<GroupRule>(r => r.Description!.StartsWith($"fwrules:{account.Name} apm", StringComparison.Ordinal)));
            previous = expected;
        }

        Assert.That(graceSeen, Is.True, "no step of the walk removed a prefix");
        Assert.That(account.Lists(), Is.Empty, "--cidr-rules made prefix lists");
    }

    [Test]
    public async Task IngressSection_AsCidrRules_OpensTheGroupToTheSectionFromFirstToLastDocumentAndKeepsTheForeignRule()
    {
        IReadOnlyList<string> documents = TestData.IpRangesDocuments;
        await using AwsAccount account = await AwsAccount.StartAsync(documents[0], "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] common = ["-s", "webhooks", "--group-id", group, "--cidr-rules", "--keep-removed", "0s"];
        foreach (string path in new[] { documents[0], documents[^1] })
        {
            account.Mirror.Serve(path);
            await SucceedsAsync(account, common);
            IReadOnlyList<GroupRule> rules = AwsGroups.Rules(account, group);
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(Cidrs(RuleSet.For(IpRangesDocument.Load(path), ["webhooks"]))), path);
            Assert.That(rules.Where(r => r.Owned), Has.All.Matches<GroupRule>(r => !r.Egress), "webhooks are Datadog calling in: ingress rules");
            Assert.That(rules, Does.Contain(AwsGroups.Foreign));
        }

        await SucceedsAsync(account, ["-s", "webhooks", "--group-id", group, "--remove"]);
        Assert.That(AwsGroups.Owned(account, group), Is.Empty, "--remove left ingress rules");
        Assert.That(AwsGroups.Rules(account, group), Does.Contain(AwsGroups.Foreign));
    }

    [TestCase(true, TestName = "DroppingLogs_AsCidrRulesToAPrefixApmStillWants_Revokes10516AndKeeps443")]
    [TestCase(false, TestName = "DroppingLogs_ReferencingAListApmStillWants_Revokes10516AndKeeps443")]
    public async Task DroppingLogs_ForATargetApmStillWants_Revokes10516AndKeeps443(bool cidrRules)
    {
        // One document where logs (443 and 10516) and apm (443) hold the same single prefix: dropping logs leaves the target wanted on 443 alone.
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(SharedPrefixDocument(documents.DirectoryPath), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] common = ["--group-id", group, "--keep-removed", "0s", "--rules-per-group", "1000", .. cidrRules ? ["--cidr-rules"] : Array.Empty<string>()];

        await SucceedsAsync(account, ["-s", "logs", "-s", "apm", .. common]);
        string target = cidrRules ? "20.0.0.0/32" : account.Lists().Single(l => l.AddressFamily == "IPv4").Id;
        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(new[] { $"tcp 10516-10516 {target}", $"tcp 443-443 {target}" }));

        await SucceedsAsync(account, ["-s", "apm", .. common]);
        IReadOnlyList<GroupRule> rules = AwsGroups.Rules(account, group);
        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(new[] { $"tcp 443-443 {target}" }), "the port dropped from the plan stayed open to a target still wanted");
        Assert.That(rules.Where(r => r.Owned), Has.All.Matches<GroupRule>(r => r.Egress));
        Assert.That(rules, Does.Contain(AwsGroups.Foreign));
    }

    internal static async Task<ProcessResult> SucceedsAsync(AwsAccount account, string[] args)
    {
        ProcessResult run = await account.SyncAsync(args);
        Assert.That(run.ExitCode, Is.Zero, run.Error + run.Output);
        return run;
    }

    /// <summary>The rules a rule set needs as CIDR rules, as <see cref="AwsGroups.Owned"/> spells them.</summary>
    internal static string[] Cidrs(RuleSet rules) =>
        [.. rules.Rules.SelectMany(r => r.Prefixes.Select(p => $"tcp {r.Port.First}-{r.Port.Last} {p}")).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The newest real document with logs and apm both holding 20.0.0.0/32 alone (no IPv6).</summary>
    private static string SharedPrefixDocument(string directory)
    {
        JsonNode document = JsonNode.Parse(File.ReadAllText(TestData.IpRangesDocuments[^1]))!;
        foreach (string section in (string[])["logs", "apm"])
        {
            document[section]!["prefixes_ipv4"] = new JsonArray(JsonValue.Create("20.0.0.0/32"));
            document[section]!["prefixes_ipv6"] = new JsonArray();
        }

        string path = Path.Combine(directory, "logs-apm-shared.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    /// <summary>
    /// The lists hold <paramref name="entries"/>, and each group references every list on every port of
    /// <paramref name="rules"/> and still holds the foreign rule (one read of the lists, one of the groups' rules).
    /// </summary>
    private static void AssertReferences(AwsAccount account, RuleSet rules, PrefixSet entries, long version, params string[] groups)
    {
        IReadOnlyList<ListState> lists = AwsPrefixListSyncTests.AssertHolds(account, entries, version);
        string[] expected = [.. rules.Rules.SelectMany(r => lists.Select(l => $"tcp {r.Port.First}-{r.Port.Last} {l.Id}")).Order(StringComparer.Ordinal)];
        ILookup<string, GroupRule> held = AwsGroups.RulesOf(account, groups);
        foreach (string group in groups)
        {
            Assert.That(held[group].Where(r => r.Owned).Select(r => r.Key).Order(StringComparer.Ordinal), Is.EqualTo(expected), group);
            Assert.That(held[group], Does.Contain(AwsGroups.Foreign), "the rule someone else added is gone");
        }
    }
}
