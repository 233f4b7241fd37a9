using System.Text.Json;

namespace FirewallRules.Tests.Aws;

/// <summary>Security groups in moto for the aws-sg tests: made, given a foreign rule, and read back with the real AWS CLI.</summary>
internal static class AwsGroups
{
    /// <summary>The rule someone else added to every group: it must survive every run.</summary>
    public static readonly GroupRule Foreign = new(true, "tcp", 9999, 9999, "198.51.100.0/24", "added by hand", false);

    /// <summary>A new VPC and a group in it (with AWS's default allow-all egress rule), holding <see cref="Foreign"/>.</summary>
    public static (string Vpc, string Group) Create(AwsAccount account)
    {
        string vpc = Text(account.Aws("create-vpc", "--cidr-block", "10.0.0.0/16"), "Vpc", "VpcId");
        string group = Text(account.Aws("create-security-group", "--group-name", "g" + Guid.NewGuid().ToString("N")[..10], "--description", "test", "--vpc-id", vpc), "GroupId");
        account.Aws("authorize-security-group-egress", "--group-id", group, "--ip-permissions",
            $"IpProtocol=tcp,FromPort=9999,ToPort=9999,IpRanges=[{{CidrIp={Foreign.Target},Description=added by hand}}]");
        return (vpc, group);
    }

    /// <summary>Every rule of <paramref name="group"/>, as the AWS CLI reads it.</summary>
    public static IReadOnlyList<GroupRule> Rules(AwsAccount account, string group) => [.. RulesOf(account, group)[group]];

    /// <summary>Every rule of <paramref name="groups"/> by group, in one AWS CLI call.</summary>
    public static ILookup<string, GroupRule> RulesOf(AwsAccount account, params string[] groups)
    {
        using JsonDocument rules = JsonDocument.Parse(account.Aws("describe-security-group-rules", "--filters", $"Name=group-id,Values={string.Join(',', groups)}"));
        return rules.RootElement.GetProperty("SecurityGroupRules").EnumerateArray().ToLookup(rule => rule.GetProperty("GroupId").GetString()!, rule => new GroupRule(
            rule.GetProperty("IsEgress").GetBoolean(),
            rule.GetProperty("IpProtocol").GetString()!,
            rule.GetProperty("FromPort").GetInt32(),
            rule.GetProperty("ToPort").GetInt32(),
            (Get(rule, "CidrIpv4") ?? Get(rule, "CidrIpv6") ?? Get(rule, "PrefixListId"))!,
            Get(rule, "Description"),
            rule.TryGetProperty("Tags", out JsonElement tags)
                && tags.EnumerateArray().Any(t => t.GetProperty("Key").GetString() == "fwrules:name" && t.GetProperty("Value").GetString() == account.Name)));
    }

    /// <summary>The rules fwrules owns in <paramref name="group"/>, as (protocol, port, target).</summary>
    public static string[] Owned(AwsAccount account, string group) =>
        [.. Rules(account, group).Where(r => r.Owned).Select(r => r.Key).Order(StringComparer.Ordinal)];

    private static string? Get(JsonElement element, string name) => element.TryGetProperty(name, out JsonElement value) ? value.GetString() : null;

    private static string Text(string json, params string[] path)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement element = document.RootElement;
        foreach (string name in path)
        {
            element = element.GetProperty(name);
        }

        return element.GetString()!;
    }
}

/// <summary>One security group rule as the AWS CLI read it; owned when it carries fwrules' tags for the account's name.</summary>
internal sealed record GroupRule(bool Egress, string Protocol, int FromPort, int ToPort, string Target, string? Description, bool Owned)
{
    public string Key => $"{Protocol} {FromPort}-{ToPort} {Target}";

    public bool IsDefaultEgress => Egress && Protocol == "-1";
}
