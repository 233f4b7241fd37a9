using FirewallRules.Tests.Cli;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// Whoever may only tag security group rules (<c>ec2:CreateTags</c>, not a change to the groups) gives fwrules' tags, with the AWS
/// CLI against moto, to a rule someone else added to the group fwrules keeps and to an ingress rule of another team's locked-down
/// group: the next <c>sync -f aws-sg --cidr-rules</c> (finding its groups itself, as it does without <c>--group-id</c>) takes neither
/// as its own. Both rules stay, neither CIDR is allowed by a rule of fwrules' (kept as a prefix Datadog stopped publishing), and the
/// other group is neither given Datadog's egress nor changed at all.
/// </summary>
[TestFixture]
[Category("Aws")]
[OwnMotoServer]
public sealed class AwsTaggedRuleTests
{
    private const string Partner = "203.0.113.0/24";

    [Test]
    public async Task RulesOfOthersGivenTheTags_AreNeverTheSyncs_NoCidrOfTheirsIsAllowedAndNoOtherGroupIsAdoptedOrChanged()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 8700, 0, 4), "aws-sg");
        (string vpc, string group) = AwsGroups.Create(account);
        string other = (await account.Ec2.CreateSecurityGroupAsync(new() { GroupName = "db" + account.Name, Description = "db", VpcId = vpc })).GroupId;
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
}
