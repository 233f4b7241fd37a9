using System.Net;
using System.Text.Json;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The account tests read moto back with the AWS SDK in-process; here the real AWS CLI reads the same account after a
/// sync that made lists, grace entries and rules referencing them, and both readings agree list by list and rule by rule.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsReadBackTests
{
    [Test]
    public async Task SdkReadBack_AfterAReferencingSync_EqualsWhatTheAwsCliReads()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(TestData.IpRangesDocuments[0], "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        ProcessResult run = await account.SyncAsync("-s", "logs", "-s", "apm", "--group-id", group, "--rules-per-group", "1000", "--keep-removed", "0s");
        Assert.That(run.ExitCode, Is.Zero, run.Error);

        IReadOnlyList<ListState> lists = account.Lists();
        Assert.That(lists.SelectMany(l => l.Entries), Is.Not.Empty, "the sync made no list entries to read back");
        Assert.That(lists.Select(Fingerprint).ToArray(), Is.EqualTo(CliLists(account).Select(Fingerprint).ToArray()));

        IReadOnlyList<GroupRule> rules = AwsGroups.Rules(account, group);
        Assert.That(rules.Where(r => r.Owned && r.Target.StartsWith("pl-", StringComparison.Ordinal)), Is.Not.Empty, "no rule references a list");
        Assert.That(rules, Is.EquivalentTo(CliRules(account, group)));
    }

    private static string Fingerprint(ListState list) =>
        $"{list.Name} {list.Id} {list.AddressFamily} v{list.Version} max {list.MaxEntries} " +
        $"{string.Join(',', list.Tags.Select(t => $"{t.Key}={t.Value}").Order(StringComparer.Ordinal))} " +
        string.Join(',', list.Entries.Select(e => e.ToString()).Order(StringComparer.Ordinal));

    private static IEnumerable<ListState> CliLists(AwsAccount account)
    {
        using JsonDocument lists = JsonDocument.Parse(account.Aws("describe-managed-prefix-lists"));
        foreach (JsonElement list in lists.RootElement.GetProperty("PrefixLists").EnumerateArray())
        {
            Dictionary<string, string> tags = list.TryGetProperty("Tags", out JsonElement t)
                ? t.EnumerateArray().ToDictionary(tag => tag.GetProperty("Key").GetString()!, tag => tag.GetProperty("Value").GetString()!)
                : [];
            if (tags.GetValueOrDefault("fwrules:name") != account.Name || list.GetProperty("State").GetString()!.StartsWith("delete", StringComparison.Ordinal))
            {
                continue;
            }

            string id = list.GetProperty("PrefixListId").GetString()!;
            using JsonDocument entries = JsonDocument.Parse(account.Aws("get-managed-prefix-list-entries", "--prefix-list-id", id));
            yield return new ListState(list.GetProperty("PrefixListName").GetString()!, id, list.GetProperty("AddressFamily").GetString()!,
                list.GetProperty("Version").GetInt64(), list.GetProperty("MaxEntries").GetInt32(), tags,
                [.. entries.RootElement.GetProperty("Entries").EnumerateArray().Select(e => IPNetwork.Parse(e.GetProperty("Cidr").GetString()!))]);
        }
    }

    private static List<GroupRule> CliRules(AwsAccount account, string group)
    {
        using JsonDocument rules = JsonDocument.Parse(account.Aws("describe-security-group-rules", "--filters", $"Name=group-id,Values={group}"));
        return [.. rules.RootElement.GetProperty("SecurityGroupRules").EnumerateArray().Select(rule => new GroupRule(
            rule.GetProperty("IsEgress").GetBoolean(),
            rule.GetProperty("IpProtocol").GetString()!,
            rule.GetProperty("FromPort").GetInt32(),
            rule.GetProperty("ToPort").GetInt32(),
            (Text(rule, "CidrIpv4") ?? Text(rule, "CidrIpv6") ?? Text(rule, "PrefixListId"))!,
            Text(rule, "Description"),
            rule.TryGetProperty("Tags", out JsonElement tags)
                && tags.EnumerateArray().Any(t => t.GetProperty("Key").GetString() == "fwrules:name" && t.GetProperty("Value").GetString() == account.Name)))];
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out JsonElement value) ? value.GetString() : null;
}
