using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// One prefix list as the campaign read it back: its tags, version, size, its entries as AWS lists them (<paramref name="Written"/>) and
/// the addresses they cover, in the proofs' own <see cref="AddressSet"/>.
/// </summary>
internal sealed record CampaignList(
    string Id, string Name, bool IPv6, long Version, int MaxEntries, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Written)
{
    /// <summary>The addresses the entries cover.</summary>
    public AddressSet Entries { get; } = AddressSet.Of(Written);

    /// <summary>A list as <see cref="AwsAccount.EveryListAsync"/> read it.</summary>
    public static CampaignList From(ListState list) =>
        new(list.Id, list.Name, list.AddressFamily == "IPv6", list.Version, list.MaxEntries, list.Tags, [.. list.Entries.Select(e => e.ToString())]);

    public string? Tag(string key) => Tags.GetValueOrDefault(key);
}

/// <summary>
/// The account as the campaign reads it back with the AWS SDK (through the proxy, as AWS answers): every prefix list that is not
/// deleted, and for each group the egress rules that reference a list, as "PORT LIST-ID", owned or not, and every other rule's key.
/// </summary>
internal sealed record CampaignSnapshot(IReadOnlyList<CampaignList> Lists, IReadOnlyDictionary<string, (HashSet<string> Owned, HashSet<string> Other)> Groups)
{
    /// <summary>The lists whose name tag is <paramref name="name"/>.</summary>
    public IReadOnlyList<CampaignList> Of(string name) => [.. Lists.Where(l => l.Tag("fwrules:name") == name && l.Tag("fwrules:managed-by") == "fwrules")];

    public CampaignList? ById(string id) => Lists.FirstOrDefault(l => l.Id == id);

    public static async Task<CampaignSnapshot> ReadAsync(AwsAccount account, IEnumerable<string> groups)
    {
        AmazonEC2Client ec2 = account.Ec2;
        List<CampaignList> lists = [.. (await account.EveryListAsync()).Select(CampaignList.From)];
        var rules = new Dictionary<string, (HashSet<string> Owned, HashSet<string> Other)>(StringComparer.Ordinal);
        foreach (string group in groups)
        {
            DescribeSecurityGroupRulesResponse found = await ec2.DescribeSecurityGroupRulesAsync(new() { Filters = [new Amazon.EC2.Model.Filter("group-id", [group])] });
            var owned = new HashSet<string>(StringComparer.Ordinal);
            var other = new HashSet<string>(StringComparer.Ordinal);
            foreach (SecurityGroupRule rule in found.SecurityGroupRules ?? [])
            {
                bool mine = rule.Tags?.Any(t => t.Key == "fwrules:name") == true;
                string key = string.Create(CultureInfo.InvariantCulture, $"{(rule.IsEgress == true ? "out" : "in")} {rule.IpProtocol} {rule.FromPort} " +
                    $"{rule.PrefixListId ?? rule.CidrIpv4 ?? rule.CidrIpv6}");
                (mine ? owned : other).Add(rule.PrefixListId is not null && rule.IsEgress == true
                    ? string.Create(CultureInfo.InvariantCulture, $"{rule.FromPort} {rule.PrefixListId}")
                    : key);
            }

            rules[group] = (owned, other);
        }

        return new CampaignSnapshot(lists, rules);
    }
}
