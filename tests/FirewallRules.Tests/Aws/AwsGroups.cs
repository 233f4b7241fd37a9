using Amazon.EC2;
using Amazon.EC2.Model;

namespace FirewallRules.Tests.Aws;

/// <summary>Security groups in moto for the aws-sg tests: made, given a foreign rule, and read back with the AWS SDK.</summary>
internal static class AwsGroups
{
    /// <summary>The rule someone else added to every group: it must survive every run.</summary>
    public static readonly GroupRule Foreign = new(true, "tcp", 9999, 9999, "198.51.100.0/24", "added by hand", false);

    /// <summary>A new VPC and a group in it (with AWS's default allow-all egress rule), holding <see cref="Foreign"/>.</summary>
    public static (string Vpc, string Group) Create(AwsAccount account) => CreateAsync(account.Ec2).GetAwaiter().GetResult();

    /// <summary>Every rule of <paramref name="group"/>, read back with the SDK.</summary>
    public static IReadOnlyList<GroupRule> Rules(AwsAccount account, string group) => [.. RulesOf(account, group)[group]];

    /// <summary>Every rule of <paramref name="groups"/> by group, in one call.</summary>
    public static ILookup<string, GroupRule> RulesOf(AwsAccount account, params string[] groups) =>
        RulesAsync(account, groups).GetAwaiter().GetResult().ToLookup(rule => rule.GroupId, rule => new GroupRule(
            rule.IsEgress == true,
            rule.IpProtocol,
            rule.FromPort ?? 0,
            rule.ToPort ?? 0,
            rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId,
            rule.Description,
            (rule.Tags ?? []).Any(t => t.Key == "fwrules:name" && t.Value == account.Name)));

    /// <summary>The rules fwrules owns in <paramref name="group"/>, as (protocol, port, target).</summary>
    public static string[] Owned(AwsAccount account, string group) =>
        [.. Rules(account, group).Where(r => r.Owned).Select(r => r.Key).Order(StringComparer.Ordinal)];

    private static async Task<(string Vpc, string Group)> CreateAsync(AmazonEC2Client ec2)
    {
        string vpc = (await ec2.CreateVpcAsync(new() { CidrBlock = "10.0.0.0/16" })).Vpc.VpcId;
        string group = (await ec2.CreateSecurityGroupAsync(new()
        {
            GroupName = "g" + Guid.NewGuid().ToString("N")[..10], Description = "test", VpcId = vpc,
        })).GroupId;
        await ec2.AuthorizeSecurityGroupEgressAsync(new()
        {
            GroupId = group,
            IpPermissions = [new() { IpProtocol = "tcp", FromPort = 9999, ToPort = 9999, Ipv4Ranges = [new() { CidrIp = Foreign.Target, Description = "added by hand" }] }],
        });
        return (vpc, group);
    }

    private static async Task<List<SecurityGroupRule>> RulesAsync(AwsAccount account, string[] groups)
    {
        var rules = new List<SecurityGroupRule>();
        string? token = null;
        do
        {
            DescribeSecurityGroupRulesResponse page = await account.Ec2.DescribeSecurityGroupRulesAsync(new()
            {
                Filters = [new Filter("group-id", [.. groups])], NextToken = token,
            });
            rules.AddRange(page.SecurityGroupRules ?? []);
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        return rules;
    }
}

/// <summary>One security group rule as read back from the account; owned when it carries fwrules' tags for the account's name.</summary>
internal sealed record GroupRule(bool Egress, string Protocol, int FromPort, int ToPort, string Target, string? Description, bool Owned)
{
    public string Key => $"{Protocol} {FromPort}-{ToPort} {Target}";

    public bool IsDefaultEgress => Egress && Protocol == "-1";
}
