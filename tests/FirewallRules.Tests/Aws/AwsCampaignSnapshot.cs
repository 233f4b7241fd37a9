using System.Globalization;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace FirewallRules.Tests.Aws;

/// <summary>One prefix list as the campaign read it back: its tags, version, size and entries.</summary>
internal sealed record CampaignList(string Id, string Name, bool IPv6, long Version, int MaxEntries, IReadOnlyDictionary<string, string> Tags, PrefixSet Entries)
{
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

    public static async Task<CampaignSnapshot> ReadAsync(IAmazonEC2 ec2, IEnumerable<string> groups)
    {
        var lists = new List<CampaignList>();
        DescribeManagedPrefixListsResponse all = await ec2.DescribeManagedPrefixListsAsync(new());
        foreach (ManagedPrefixList list in (all.PrefixLists ?? []).Where(l => l.State?.Value.StartsWith("delete", StringComparison.Ordinal) != true))
        {
            var entries = new List<IPNetwork>();
            string? token = null;
            do
            {
                GetManagedPrefixListEntriesResponse page =
                    await ec2.GetManagedPrefixListEntriesAsync(new() { PrefixListId = list.PrefixListId, MaxResults = 100, NextToken = token });
                entries.AddRange((page.Entries ?? []).Select(e => IPNetwork.Parse(e.Cidr)));
                token = page.NextToken;
            }
            while (!string.IsNullOrEmpty(token));

            lists.Add(new CampaignList(list.PrefixListId, list.PrefixListName, list.AddressFamily == "IPv6", list.Version ?? 0, list.MaxEntries ?? 0,
                (list.Tags ?? []).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal), PrefixSet.Create(entries)));
        }

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
