using System.Globalization;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// <c>sync -f aws-sg --cidr-rules</c> with the grace record in the owned rules' descriptions, edited with the AWS CLI between real runs
/// against moto: a rule added by hand with fwrules' marker, or a kept rule whose time was moved later, breaks the group's seal, so its time
/// is not read (a retired CIDR stays only while the runner's own state keeps it); and a group of another team whose rule description was
/// edited to the marker is neither adopted nor changed by a sync or a removal without <c>--group-id</c>, while the group the sync kept is
/// found by the runner's state or by its seal.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsCidrRuleSealTests
{
    private const string Partner = "203.0.113.0/24";

    [Test]
    public async Task RuleAddedByHandWithTheMarker_OfACidrNotPublished_IsRevokedByTheNextRunInOneLine_NotKeptInGrace()
    {
        using var documents = new TempFiles();
        string path = GeneratedDocuments.Write(documents.DirectoryPath, 9100, 0, 4);
        await using AwsAccount account = await AwsAccount.StartAsync(path, "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] args = ["-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", "1h"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, args);
        GroupRule model = AwsGroups.Rules(account, group).First(r => r.Owned);
        string egress = GeneratedDocuments.Prefix(40).ToString(), ingress = GeneratedDocuments.Prefix(41).ToString();

        // One rule as the sync writes it (egress, its port), one inbound: both marked, of CIDRs no document published.
        account.Aws("authorize-security-group-egress", "--group-id", group, "--ip-permissions",
            Permission(model.Protocol, model.FromPort, model.ToPort, egress, $"fwrules:{account.Name} logs"));
        account.Aws("authorize-security-group-ingress", "--group-id", group, "--ip-permissions",
            Permission("tcp", 443, 443, ingress, $"fwrules:{account.Name} logs"));
        Assert.That(AwsGroups.Rules(account, group).Select(r => r.Target), Does.Contain(egress).And.Contain(ingress), "the AWS CLI added nothing");

        ProcessResult run = await AwsSecurityGroupSyncTests.SucceedsAsync(account, args);

        Assert.That(AwsGroups.Rules(account, group).Select(r => r.Target), Does.Not.Contain(egress).And.Not.Contain(ingress),
            $"the run kept in grace a rule added by hand: {run.Output}");
        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(AwsSecurityGroupSyncTests.Cidrs(RuleSet.For(IpRangesDocument.Load(path), ["logs"]))));
        Assert.That(run.Error.Split('\n').Count(l => l.Contains($"security group {group}: 2 rules marked", StringComparison.Ordinal)
            && l.Contains("does not vouch for them", StringComparison.Ordinal)), Is.EqualTo(1), run.Error);
        Assert.That(AwsGroups.Rules(account, group).Where(r => r.Description?.StartsWith("fwrules:", StringComparison.Ordinal) == true)
            .Select(r => r.Description), Has.None.Contains(" @"), "a time was recorded for what was added by hand");
    }

    [Test]
    public async Task KeptRuleTimeEditedLater_DoesNotExtendTheGrace_TheRetiredCidrLeavesWhenItsRealKeepPeriodEnds()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 9200, 0, 8), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        ProcessResult Run(string keep) => FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null,
            [.. account.Common("one"), "-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", keep]).GetAwaiter().GetResult();
        Assert.That(Run("180m").ExitCode, Is.Zero);
        // The runner last saw 0 to 2 published two hours ago; a shorter keep period stands for a later run (as in AwsCidrGraceTests).
        AwsCidrGraceTests.Backdate(Path.Combine(account.Directory, "one", "aws", account.Name, "state.json"), TimeSpan.FromHours(2));
        string next = GeneratedDocuments.Write(work, 9201, 3, 8);
        account.Mirror.Serve(next);
        ProcessResult kept = Run("180m");
        Assert.That(kept.ExitCode, Is.Zero, kept.Error);
        GroupRule[] retired = [.. AwsGroups.Rules(account, group).Where(r => r.Owned && r.Description!.Contains(" @", StringComparison.Ordinal))];
        Assert.That(retired.Select(r => r.Target).Distinct(), Is.EquivalentTo(Enumerable.Range(0, 3).Select(i => GeneratedDocuments.Prefix(i).ToString())),
            "the retired rules were not kept with their time");

        // Whoever may only edit descriptions moves each kept rule's time to now, before every run.
        string now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        foreach (GroupRule rule in retired)
        {
            account.Aws("update-security-group-rule-descriptions-egress", "--group-id", group, "--ip-permissions",
                Permission(rule.Protocol, rule.FromPort, rule.ToPort, rule.Target, $"fwrules:{account.Name} logs @{now}"));
        }

        Assert.That(AwsGroups.Rules(account, group).Count(r => r.Description?.EndsWith($" @{now}", StringComparison.Ordinal) == true), Is.EqualTo(retired.Length));
        ProcessResult past = Run("90m");

        Assert.That(past.ExitCode, Is.Zero, past.Error);
        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(AwsSecurityGroupSyncTests.Cidrs(RuleSet.For(IpRangesDocument.Load(next), ["logs"]))),
            $"the edited time kept the retired CIDRs past their keep period: {past.Output}");
    }

    [Test]
    public async Task GroupOfAnotherTeamWithADescriptionEditedToTheMarker_IsNeitherAdoptedNorChanged_BySyncOrRemoveWithoutGroupId()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 9300, 0, 4), "aws-sg");
        (string vpc, string group) = AwsGroups.Create(account);
        string other = (await account.Ec2.CreateSecurityGroupAsync(new() { GroupName = "db" + account.Name, Description = "db", VpcId = vpc })).GroupId;
        account.Aws("authorize-security-group-ingress", "--group-id", other, "--ip-permissions", Permission("tcp", 5432, 5432, Partner, "partner db"));
        ProcessResult Run(string runner, params string[] args) => FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null,
            [.. account.Common(runner), "-s", "logs", "--cidr-rules", .. args]).GetAwaiter().GetResult();
        ProcessResult first = Run("one", "--group-id", group);
        Assert.That(first.ExitCode, Is.Zero, first.Error);
        string[] owned = AwsGroups.Owned(account, group);

        account.Aws("update-security-group-rule-descriptions-ingress", "--group-id", other, "--ip-permissions",
            Permission("tcp", 5432, 5432, Partner, $"fwrules:{account.Name} logs"));
        string[] othersBefore = Keys(account, other);
        Assert.That(othersBefore, Does.Contain($"False tcp 5432-5432 {Partner} fwrules:{account.Name} logs"), "the AWS CLI edited nothing");

        // "two" has no state: the group the sync kept is found by its seal; "one" by its state, and it removes without --group-id.
        foreach ((string runner, string[] args) in (ValueTuple<string, string[]>[])[("two", []), ("one", []), ("one", ["--remove"])])
        {
            ProcessResult run = Run(runner, args);

            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(Keys(account, other), Is.EqualTo(othersBefore), $"{runner} {string.Join(' ', args)}: the other team's group was adopted or changed");
            Assert.That(run.Error.Split('\n').Count(l => l.Contains($"security group {other} holds rules marked", StringComparison.Ordinal)
                && l.Contains("--group-id", StringComparison.Ordinal)), Is.EqualTo(1), run.Error);
            Assert.That(run.Output, Does.Not.Contain(other));
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(args.Length == 0 ? owned : []), $"{runner} {string.Join(' ', args)}: the group kept was not found");
        }

        // The removal left the group no longer the name's: the runner that removed it does not put the rules back by its state.
        ProcessResult after = Run("one");
        Assert.That(after.ExitCode, Is.Not.Zero, after.Output);
        Assert.That(AwsGroups.Owned(account, group), Is.Empty, $"the next sync without --group-id put the removed rules back: {after.Error}");
    }

    /// <summary>Every rule of <paramref name="group"/>, with its direction and description, in order.</summary>
    private static string[] Keys(AwsAccount account, string group) =>
        [.. AwsGroups.Rules(account, group).Select(r => $"{r.Egress} {r.Key} {r.Description}").Order(StringComparer.Ordinal)];

    /// <summary>One permission as the AWS CLI's <c>--ip-permissions</c> takes it (JSON).</summary>
    private static string Permission(string protocol, int from, int to, string cidr, string description) => string.Create(CultureInfo.InvariantCulture,
        $$"""[{"IpProtocol":"{{protocol}}","FromPort":{{from}},"ToPort":{{to}},"IpRanges":[{"CidrIp":"{{cidr}}","Description":"{{description}}"}]}]""");
}
