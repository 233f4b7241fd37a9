using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.EC2.Model;
using FirewallRules.Aws;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// Tags anyone allowed to tag the prefix lists may edit, edited against moto between real <c>fwrules sync</c> runs: a grace record
/// deleted before every run counts as expired (the retired prefixes leave once <c>--keep-removed</c> has passed since Datadog last
/// published them), and a list whose <c>fwrules:managed-by</c> tag was changed is refused in one line naming it and the fix, with no
/// second list of the same name made beside it. A list fwrules did not make, given fwrules' tags with the AWS CLI, is refused in one
/// line naming it and the fix: its entries are neither merged into the name's lists nor kept in grace, and it is not deleted. Rules of
/// security groups someone else added, given fwrules' tags, are not fwrules' either: neither revoked nor kept as retired prefixes, and
/// a group of another team's is not adopted; nor are rules that reference another team's prefix list, by a sync or by <c>--remove</c>,
/// nor another team's rule to one of the name's own lists. An edit of a list's <c>fwrules:name</c> or <c>fwrules:part</c> (or the removal
/// of its owner tags) is refused in one line naming the list and the fix, and no second list is made; and a grace tag tampered with before
/// every other run of two runners never makes the record name less than the lists keep, so a retired prefix leaves on time.
/// </summary>
[TestFixture]
[Category("Aws")]
[OwnMotoServer]
public sealed class AwsEditedTagsTests
{
    private const string Partner = "203.0.113.0/24";

    [Test]
    public async Task RulesOfOthersGivenTheTags_AreNeverTheSyncs_NoCidrOfTheirsIsAllowedAndNoOtherGroupIsAdoptedOrChanged()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 8700, 0, 4), "aws-sg");
        (string group, string other) = await GroupAndAnotherTeamsAsync(account);
        string partnerRule = (await account.Ec2.AuthorizeSecurityGroupIngressAsync(new()
        {
            GroupId = other,
            IpPermissions = [new() { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, Ipv4Ranges = [new() { CidrIp = Partner, Description = "partner db" }] }],
        })).SecurityGroupRules.Single().SecurityGroupRuleId;
        string[] cidrRules = ["-s", "logs", "--cidr-rules"];
        ProcessResult first = await account.SyncAsync([.. cidrRules, "--group-id", group]);
        Assert.That(first.ExitCode, Is.Zero, first.Error);
        GroupRule[] othersBefore = [.. AwsGroups.Rules(account, other)];
        string foreignRule = (await account.Ec2.DescribeSecurityGroupRulesAsync(new() { Filters = [new("group-id", [group])] })).SecurityGroupRules
            .Single(r => r.CidrIpv4 == AwsGroups.Foreign.Target).SecurityGroupRuleId;

        account.Aws("create-tags", "--resources", foreignRule, partnerRule, "--tags", "Key=fwrules:managed-by,Value=fwrules", $"Key=fwrules:name,Value={account.Name}");
        ProcessResult tagged = await account.SyncAsync(cidrRules);

        Assert.That(tagged.ExitCode, Is.Zero, tagged.Error);
        GroupRule[] kept = [.. AwsGroups.Rules(account, group)];
        Assert.That(kept.Where(r => r.Target is "198.51.100.0/24" or Partner).Select(r => $"{r.Key} {r.Description}"),
            Is.EqualTo((string[])["tcp 9999-9999 198.51.100.0/24 added by hand"]),
            "the hand-added rule was revoked, or its CIDR (or the other group's) allowed by a rule of fwrules', once they were tagged");
        Assert.That(AwsGroups.Rules(account, other).Select(r => $"{r.Egress} {r.Key} {r.Description}").Order(StringComparer.Ordinal),
            Is.EqualTo(othersBefore.Select(r => $"{r.Egress} {r.Key} {r.Description}").Order(StringComparer.Ordinal)),
            "the other team's group was adopted (given Datadog's egress) or its tagged rule revoked");
        Assert.That(othersBefore.Select(r => r.Key), Does.Contain($"tcp 5432-5432 {Partner}"));
        Assert.That(tagged.Output, Does.Not.Contain(other).And.Not.Contain("kept 1 prefix"));
    }

    [Test]
    public async Task RulesOfOthersReferencingAnotherList_GivenTheTags_AreNeverTheSyncs_NeitherRevokedNorTheirGroupAdopted_BySyncOrRemove()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 8800, 0, 4), "aws-sg");
        (string group, string other) = await GroupAndAnotherTeamsAsync(account);
        // Another team's list, referenced by a rule of theirs in their own group and by one they added to the group fwrules keeps.
        string team = JsonNode.Parse(account.Aws("create-managed-prefix-list", "--prefix-list-name", "team-z" + account.Name, "--address-family", "IPv4",
            "--max-entries", "5", "--entries", $"Cidr={Partner}", "--query", "PrefixList.PrefixListId"))!.GetValue<string>();
        string[] teamRules = [.. await Task.WhenAll(((string[])[other, group]).Select(async g => (await account.Ec2.AuthorizeSecurityGroupIngressAsync(new()
        {
            GroupId = g,
            IpPermissions = [new() { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, PrefixListIds = [new() { Id = team, Description = "team z" }] }],
        })).SecurityGroupRules.Single().SecurityGroupRuleId))];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, ["-s", "logs", "--group-id", group]);
        string teamRule = $"tcp 5432-5432 {team}";
        string[] othersBefore = [.. AwsGroups.Rules(account, other).Select(r => $"{r.Egress} {r.Key}").Order(StringComparer.Ordinal)];
        Assert.That(othersBefore, Does.Contain($"False {teamRule}"));

        account.Aws("create-tags", "--resources", teamRules[0], teamRules[1], "--tags", "Key=fwrules:managed-by,Value=fwrules", $"Key=fwrules:name,Value={account.Name}");
        // No --group-id: the groups are found by the rules fwrules owns, as after a first run that named them.
        ProcessResult tagged = await AwsSecurityGroupSyncTests.SucceedsAsync(account, ["-s", "logs"]);

        Assert.That(AwsGroups.Rules(account, group).Select(r => r.Key), Does.Contain(teamRule), "the other team's rule in the synced group was revoked once tagged");
        Assert.That(AwsGroups.Rules(account, other).Select(r => $"{r.Egress} {r.Key}").Order(StringComparer.Ordinal), Is.EqualTo(othersBefore),
            "the other team's group was adopted (given rules to Datadog's lists) or its tagged rule revoked");
        Assert.That(tagged.Output, Does.Not.Contain(other));

        ProcessResult removed = await AwsSecurityGroupSyncTests.SucceedsAsync(account, ["-s", "logs", "--remove"]);

        Assert.That(account.Lists(), Is.Empty, "fwrules' lists were not deleted");
        Assert.That(AwsGroups.Rules(account, group).Select(r => r.Key), Is.EquivalentTo(new[] { "-1 -1--1 0.0.0.0/0", AwsGroups.Foreign.Key, teamRule }),
            "--remove revoked the other team's tagged rule, or left one of fwrules'");
        Assert.That(AwsGroups.Rules(account, other).Select(r => $"{r.Egress} {r.Key}").Order(StringComparer.Ordinal), Is.EqualTo(othersBefore), removed.Output);
        Assert.That((await account.EveryListAsync()).Any(l => l.Id == team), Is.True, "the other team's list was deleted");
    }

    /// <summary>A group for the sync (holding the rule added by hand) and, in its VPC, another team's group.</summary>
    private static async Task<(string Group, string Other)> GroupAndAnotherTeamsAsync(AwsAccount account)
    {
        (string vpc, string group) = AwsGroups.Create(account);
        return (group, (await account.Ec2.CreateSecurityGroupAsync(new() { GroupName = "db" + account.Name, Description = "db", VpcId = vpc })).GroupId);
    }

    [Test]
    public async Task GraceRecordDeletedBeforeEachRun_CountsAsExpired_TheRetiredPrefixesLeaveWhenTheKeepPeriodEnds()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 7800, 0, 20));
        // A keep period a loaded machine's two syncs fit in (each starts a process and calls moto several times), and runs
        // past it far enough apart that a deleted record is seen over several of them.
        string[] args = ["-s", "logs", "--keep-removed", "15s"];
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, args);
        // 0 to 5 were last published before now: their keep period ends less than 15 s from here.
        var sinceLastPublished = Stopwatch.StartNew();
        account.Mirror.Serve(GeneratedDocuments.Write(documents.DirectoryPath, 7801, 5, 25));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, args);
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, 25)), "0 to 5 are kept at first");

        var warnings = new List<string>();
        for (bool last = false; !last;)
        {
            // The last run starts past the keep period's end, however long each run takes.
            last = sinceLastPublished.Elapsed >= TimeSpan.FromSeconds(17);
            ListState first = account.Lists().Single(l => l.Name.EndsWith("-ipv4", StringComparison.Ordinal));
            Tag[] grace = [.. first.Tags.Keys.Where(k => k.StartsWith("fwrules:grace-", StringComparison.Ordinal)).Select(k => new Tag { Key = k })];
            if (grace.Length > 0)
            {
                await account.Ec2.DeleteTagsAsync(new() { Resources = [first.Id], Tags = [.. grace] });
            }

            ProcessResult run = await account.SyncAsync(args);
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            warnings.Add(run.Error);
            if (!last)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }

        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(5, 25)),
            "a retired prefix outlived --keep-removed because its grace record was deleted");
        Assert.That(warnings.Where(w => w.Length > 0).First(), Does.Contain("fwrules:grace-").And.Contain("missing or unreadable").And.Contain("expired"));
    }

    [Test]
    public async Task ManagedByTagChanged_RefusedInOneLineNamingTheListAndTheFix_NoSecondListIsMade()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 7900, 0, 20));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        ListState list = account.Lists().Single(l => l.Name.EndsWith("-ipv4", StringComparison.Ordinal));
        account.Aws("create-tags", "--resources", list.Id, "--tags", "Key=fwrules:managed-by,Value=someone-else");
        account.Mirror.Serve(GeneratedDocuments.Write(documents.DirectoryPath, 7901, 5, 25));

        ProcessResult run = await account.SyncAsync("-s", "logs");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.Contain($"prefix list {list.Name} ({list.Id})").And.Contain("fwrules:managed-by=someone-else").And.Contain(
            $"aws ec2 create-tags --resources {list.Id} --tags Key=fwrules:managed-by,Value=fwrules").And.EndWith("the account was left as it was\n"));
        IReadOnlyList<ListState> every = await account.EveryListAsync();
        Assert.That(every.Count(l => l.Name == list.Name), Is.EqualTo(1), "a second list of the same name was made");
        Assert.That(every.Single(l => l.Id == list.Id).Entries, Is.EquivalentTo(list.Entries), "the list was changed");
    }

    [Test]
    public async Task ForeignListGivenTheTags_RefusedInOneLineNamingItAndTheFix_NothingMergedKeptOrDeleted()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 8000, 0, 20));
        string[] args = ["-s", "logs", "--keep-removed", "1h"];
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, args);
        ListState own = account.Lists().Single(l => l.Name.EndsWith("-ipv4", StringComparison.Ordinal));
        // Another team's list (one the attacker made would do as well), tagged as the first IPv4 list of this name: tag permission is all it takes.
        string foreign = JsonNode.Parse(account.Aws("create-managed-prefix-list", "--prefix-list-name", "team-z", "--address-family", "IPv4", "--max-entries", "10",
            "--entries", "Cidr=0.0.0.0/1", "Cidr=169.254.169.254/32", "--query", "PrefixList.PrefixListId"))!.GetValue<string>();
        account.Aws("create-tags", "--resources", foreign, "--tags", "Key=fwrules:managed-by,Value=fwrules", $"Key=fwrules:name,Value={account.Name}",
            "Key=fwrules:family,Value=ipv4", "Key=fwrules:part,Value=1", "Key=fwrules:format,Value=aws-prefix-list");

        ProcessResult run = await account.SyncAsync(args);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.Contain($"prefix list team-z ({foreign})").And.Contain("does not name it").And.Contain(
            $"aws ec2 delete-tags --resources {foreign} --tags Key=fwrules:managed-by Key=fwrules:name").And.EndWith("the account was left as it was\n"));
        IReadOnlyList<ListState> every = await account.EveryListAsync();
        Assert.That(every.Single(l => l.Id == own.Id).Entries, Is.EquivalentTo(own.Entries), "fwrules' list took the tagged list's entries");
        Assert.That(every.SingleOrDefault(l => l.Id == foreign)?.Entries, Is.EquivalentTo(new[] { IPNetwork.Parse("0.0.0.0/1"), IPNetwork.Parse("169.254.169.254/32") }),
            "the tagged list was deleted or changed");

        // The fix the line gives: the tags off, and the next sync goes on with fwrules' own list alone.
        account.Aws("delete-tags", "--resources", foreign, "--tags", "Key=fwrules:managed-by", "Key=fwrules:name");
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, args);
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, 20)));
        Assert.That((await account.EveryListAsync()).Any(l => l.Id == foreign), Is.True, "the foreign list was deleted");
    }

    [Test]
    public async Task ForeignListGivenTheTags_RemoveRefusedBeforeAnyChange_NeitherListIsDeleted()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 8000, 0, 20));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        ListState own = account.Lists().Single(l => l.Name.EndsWith("-ipv4", StringComparison.Ordinal));
        // Tagged as fwrules' second IPv4 part, with the usual name: the name alone does not vouch once a record names the lists.
        string foreign = JsonNode.Parse(account.Aws("create-managed-prefix-list", "--prefix-list-name", $"{account.Name}-ipv4-2", "--address-family", "IPv4",
            "--max-entries", "10", "--entries", "Cidr=198.51.100.0/24", "--query", "PrefixList.PrefixListId"))!.GetValue<string>();
        account.Aws("create-tags", "--resources", foreign, "--tags", "Key=fwrules:managed-by,Value=fwrules", $"Key=fwrules:name,Value={account.Name}",
            "Key=fwrules:family,Value=ipv4", "Key=fwrules:part,Value=2", "Key=fwrules:format,Value=aws-prefix-list");

        ProcessResult run = await account.SyncAsync("-s", "logs", "--remove");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.Contain($"({foreign})").And.Contain("which a removal would delete").And.EndWith("the account was left as it was\n"));
        IReadOnlyList<ListState> every = await account.EveryListAsync();
        Assert.That(every.Select(l => l.Id), Is.SupersetOf(new[] { own.Id, foreign }), "a list was deleted");
    }

    [Test]
    public async Task NameTagEditedToAnotherName_ThatNamesSyncAndRemoval_RefuseTheListInOneLine_NeitherChangesNorDeletesIt()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 9300, 0, 20));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        ListState list = account.Lists().Single(l => l.Name == account.Name + "-ipv4");
        string other = account.Name + "b";
        // One tag edit hands the list to another name's sync: its whole record names its own id, whatever the name says.
        account.Aws("create-tags", "--resources", list.Id, "--tags", $"Key=fwrules:name,Value={other}");
        foreach (string[] args in new[] { new[] { "-s", "api" }, ["-s", "api", "--remove"] })
        {
            ProcessResult run = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common()[..^1], other, .. args]);

            Assert.That(run.ExitCode, Is.EqualTo(1), string.Join(' ', args) + ": " + run.Output + run.Error);
            Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
            Assert.That(run.Error, Does.Contain($"({list.Id})").And.EndWith("the account was left as it was\n"), run.Error);
            ListState? after = (await account.EveryListAsync()).SingleOrDefault(l => l.Id == list.Id);
            Assert.That(after?.Entries, Is.EquivalentTo(list.Entries), $"{string.Join(' ', args)}: the list was changed or deleted by another name's sync");
        }
    }

    [Test]
    public async Task IdentityTagEditedOrRemoved_RefusedInOneLineNamingTheListAndTheFix_NoSecondListIsEverMade()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 9100, 0, 20));
        string[] args = ["-s", "logs", "--max-entries", "10"];
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, args);
        IReadOnlyList<ListState> made = account.Lists();
        ListState first = made.Single(l => l.Name == account.Name + "-ipv4"), second = made.Single(l => l.Name == account.Name + "-ipv4-2");
        account.Mirror.Serve(GeneratedDocuments.Write(documents.DirectoryPath, 9101, 5, 30));
        // The first list carries the record that names both; the second is named only there. Each edit alone would fork a list.
        (ListState List, string[] Edit)[] edits =
        [
            (first, ["create-tags", "--resources", first.Id, "--tags", "Key=fwrules:name,Value=dd2"]),
            (second, ["delete-tags", "--resources", second.Id, "--tags", "Key=fwrules:name"]),
            (second, ["create-tags", "--resources", second.Id, "--tags", "Key=fwrules:part,Value=1"]),
            (first, ["delete-tags", "--resources", first.Id, "--tags", "Key=fwrules:managed-by", "Key=fwrules:name"]),
            // Every fwrules tag, the record with them: only this machine's state still knows the list as the name's.
            (first, ["delete-tags", "--resources", first.Id, "--tags", "Key=fwrules:managed-by", "Key=fwrules:name", "Key=fwrules:family", "Key=fwrules:part",
                "Key=fwrules:seen", "Key=fwrules:lists", "Key=fwrules:document-version", .. Enumerable.Range(1, 40).Select(i => $"Key=fwrules:grace-{i}")]),
        ];
        foreach ((ListState list, string[] edit) in edits)
        {
            account.Aws(edit);

            ProcessResult run = await account.SyncAsync(args);

            string edited = string.Join(' ', edit);
            Assert.That(run.ExitCode, Is.EqualTo(1), edited + ": " + run.Output + run.Error);
            Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
            Assert.That(run.Error, Does.Contain($"prefix list {list.Name} ({list.Id})").And.EndWith("the account was left as it was\n"), edited);
            IReadOnlyList<ListState> every = await account.EveryListAsync();
            Assert.That(every.Where(l => l.Name.StartsWith(account.Name + "-ipv4", StringComparison.Ordinal)).Select(l => l.Id), Is.EquivalentTo(new[] { first.Id, second.Id }),
                $"{edited}: a second list was made");
            Assert.That(every.Where(l => l.Id == first.Id || l.Id == second.Id).SelectMany(l => l.Entries), Is.EquivalentTo(first.Entries.Concat(second.Entries)),
                $"{edited}: the lists were changed");

            // The fix the line gives, run as it gives it.
            Match fix = Regex.Match(run.Error, @"aws ec2 (create-tags --resources \S+ --tags( Key=fwrules:[a-z-]+,Value=[^ )]+)+)");
            Assert.That(fix.Success, Is.True, run.Error);
            account.Aws(fix.Groups[1].Value.Split(' '));
        }

        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, args);
        IReadOnlyList<ListState> after = account.Lists();
        Assert.That(after.Select(l => l.Id), Is.SupersetOf(new[] { first.Id, second.Id }), "a list fwrules made was replaced");
        Assert.That(after.Select(l => l.Name), Is.Unique, "two lists of one name");
        Assert.That(AwsAccount.Entries(after, "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, 30)), "the tags put back, the lists take the new document (0 to 5 kept)");
    }

    [Test]
    public async Task RuleOfAnotherTeamToTheNamesOwnList_GivenTheTags_IsNeverRevoked()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 9200, 0, 4), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, ["-s", "logs", "--group-id", group]);
        string own = account.Lists().Single(l => l.Name == account.Name + "-ipv4").Id;
        // Another team's rule in the group: their database's port, open to Datadog's addresses through fwrules' own list.
        string teamRule = (await account.Ec2.AuthorizeSecurityGroupIngressAsync(new()
        {
            GroupId = group,
            IpPermissions = [new() { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, PrefixListIds = [new() { Id = own, Description = "team z" }] }],
        })).SecurityGroupRules.Single().SecurityGroupRuleId;
        account.Aws("create-tags", "--resources", teamRule, "--tags", "Key=fwrules:managed-by,Value=fwrules", $"Key=fwrules:name,Value={account.Name}");

        ProcessResult run = await AwsSecurityGroupSyncTests.SucceedsAsync(account, ["-s", "logs", "--group-id", group]);

        Assert.That(AwsGroups.Rules(account, group).Select(r => $"{r.Egress} {r.Key} {r.Description}"), Does.Contain($"False tcp 5432-5432 {own} team z"),
            "another team's rule to the name's own list was revoked once tagged: " + run.Output);
    }

    [Test]
    public async Task GraceTagTamperedBeforeEveryOtherRunOfTwoRunners_RecordNamesWhatTheListsKeep_TheRetiredPrefixesLeaveOnTime()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 9300, 0, 8));
        TimeSpan keep = TimeSpan.FromSeconds(12);
        string[] args = ["-s", "logs", "--keep-removed", "12s"];
        Task<ProcessResult> Run(string runner) => FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common(runner), .. args]);
        foreach (string runner in (string[])["a", "b"])
        {
            ProcessResult published = await Run(runner);
            Assert.That(published.ExitCode, Is.Zero, published.Error);
        }

        // Runner b published 0 to 4 last, before this.
        var sincePublished = Stopwatch.StartNew();
        DateTimeOffset lastPublished = DateTimeOffset.UtcNow;
        account.Mirror.Serve(GeneratedDocuments.Write(documents.DirectoryPath, 9301, 4, 8));
        PrefixSet retired = GeneratedDocuments.Range(0, 4);
        for (int i = 0; ; i++)
        {
            bool last = sincePublished.Elapsed >= keep;
            string runner = i % 2 == 0 ? "a" : "b";
            ListState first = account.Lists().Single(l => l.Name.EndsWith("-ipv4", StringComparison.Ordinal));
            if (runner == "a")
            {
                // A grace tag far ahead for a retired prefix, before every run of a.
                await account.Ec2.CreateTagsAsync(new() { Resources = [first.Id], Tags = [new("fwrules:grace-1", $"=logs @1896015921 {GeneratedDocuments.Prefix(0)}")] });
            }

            ProcessResult run = await Run(runner);
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            ListState after = account.Lists().Single(l => l.Name.EndsWith("-ipv4", StringComparison.Ordinal));
            if (last)
            {
                Assert.That(PrefixSet.Create(after.Entries).Intersect(retired), Is.Empty,
                    $"a retired prefix outlived --keep-removed ({sincePublished.Elapsed} since last published) through the tampered record and the other runner");
                break;
            }

            // Whatever the tags said before, the record the run wrote names every retired prefix the list keeps, at no time after it was last published.
            var record = GraceRecord.Decode(GraceRecordSeal.Read(after.Tags).Grace).ToDictionary(r => r.Prefix, r => r.At);
            foreach (IPNetwork kept in after.Entries.Where(e => !retired.Intersect(PrefixSet.Create([e])).IsEmpty))
            {
                Assert.That(record.TryGetValue(kept, out DateTimeOffset at), Is.True,
                    $"run {i} ({runner}) left {kept} in the list and out of the record: {string.Join(' ', after.Tags)}");
                Assert.That(at, Is.LessThanOrEqualTo(lastPublished), $"run {i} ({runner}) recorded {kept} as seen after it was last published");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
