using System.Globalization;
using System.Net;
using FirewallRules.Advice;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// How a rule set becomes AWS security groups: which group holds which (port, CIDR) rules, or which prefix
/// lists, so that no group exceeds the rules-per-group quota. Shared by the three AWS formats, which only differ
/// in how they write it.
/// </summary>
/// <remarks>
/// Security groups only allow, and allow nothing inbound by default, so a closed port
/// (<see cref="FirewallRule.ClosesPort"/>) needs no further rule: addresses its rules do not list cannot use it
/// (outbound too, once AWS's default allow-all egress rule is revoked: <see cref="AwsSecurityGroupOptions.RevokeDefaultEgress"/>).
/// Another group on the same network interface that allows the port opens it to its own sources.
/// </remarks>
internal sealed class AwsPlan
{
    /// <summary>AWS's hard ceiling on security groups per network interface (5 by default).</summary>
    private const int MaxGroupsPerInterface = 16;
    private const int DefaultGroupsPerInterface = 5;

    private AwsPlan(RuleSet rules, IReadOnlyList<AwsSecurityGroup> groups, IReadOnlyList<AwsPrefixList> prefixLists, IReadOnlyList<string> notes)
    {
        Rules = rules;
        Groups = groups;
        PrefixLists = prefixLists;
        Notes = notes;
    }

    /// <summary>The rules as rendered: families filtered and budget applied.</summary>
    public RuleSet Rules { get; }

    /// <summary>The groups, egress first, each direction numbered from 1.</summary>
    public IReadOnlyList<AwsSecurityGroup> Groups { get; }

    /// <summary>The prefix lists the groups reference (prefix list mode only).</summary>
    public IReadOnlyList<AwsPrefixList> PrefixLists { get; }

    /// <summary>Sentences on what the output needs from its user (quota, groups to attach together).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// Whether the ingress groups must allow no outbound traffic: the rules allow egress too, so the hosts hold the egress and the
    /// ingress groups together, and groups add up: the allow-all outbound rule AWS gives a new group (and CloudFormation a group
    /// without egress rules) would let an ingress group allow everything the egress groups do not.
    /// </summary>
    public bool IngressGroupsAllowNoEgress => Groups.Any(g => g.Direction == Direction.Egress) && Groups.Any(g => g.Direction == Direction.Ingress);

    /// <summary>Plans <paramref name="rules"/> for AWS.</summary>
    /// <param name="rules">The rules, prepared for the format.</param>
    /// <param name="options">Quota, prefix list mode and the shared options.</param>
    /// <param name="maxListEntries">The most entries one prefix list may have in this format (100 in a CloudFormation template).</param>
    /// <exception cref="RuleGenerationException">
    /// A rule denies (security groups only allow), nothing is left to allow, or a direction needs more groups than a network interface can have.
    /// </exception>
    public static AwsPlan Create(PreparedRules rules, AwsSecurityGroupOptions options, int maxListEntries)
    {
        RuleSet prepared = rules.Rules;
        if (prepared.Rules.FirstOrDefault(r => r.Action != RuleAction.Allow) is FirewallRule deny)
        {
            throw new RuleGenerationException(
                $"{deny.Name} denies traffic, but AWS security groups can only allow: use a network ACL for deny rules");
        }

        var groups = new List<AwsSecurityGroup>();
        var lists = new List<AwsPrefixList>();
        var notes = new List<string>();
        foreach (IGrouping<Direction, FirewallRule> direction in prepared.Rules.GroupBy(r => r.Direction))
        {
            List<List<AwsPermission>> bins = options.UsePrefixLists
                ? PackPrefixLists(direction.Key, [.. direction], options, Math.Min(maxListEntries, options.RulesPerGroup), lists)
                : PackCidrs([.. direction], options.RulesPerGroup);
            string label = direction.Key.Keyword();
            if (bins.Count > MaxGroupsPerInterface)
            {
                throw new RuleGenerationException(
                    $"the {label} rules need {bins.Count} security groups of {options.RulesPerGroup} rules, more than the {MaxGroupsPerInterface} a network interface can have",
                    new SettingAdvice("raise {0} after AWS raises your quota, or set a prefix budget ({1})",
                        SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.RulesPerGroup)),
                        SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule))));
            }

            for (int i = 0; i < bins.Count; i++)
            {
                string name = $"{options.Name}-{label}-{i + 1}";
                // Stable text: AWS replaces a group whose description changes, detaching it from everything.
                string description = AwsText.Description($"Datadog {label} allow-list, group {i + 1} (managed by FirewallRules)");
                groups.Add(new AwsSecurityGroup(direction.Key, i + 1, name, description, bins[i]));
            }

            if (bins.Count > DefaultGroupsPerInterface)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"The {label} rules need {bins.Count} security groups on each network interface; " +
                    $"AWS allows {DefaultGroupsPerInterface} by default (up to {MaxGroupsPerInterface} on request)."));
            }
        }

        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"Attach every group of a direction together: each holds at most {options.RulesPerGroup} rules per direction and address family " +
            $"(the rules-per-security-group quota)."));
        return new AwsPlan(prepared, groups, lists, notes);
    }


    // One rule per (port, CIDR): each family fills the groups in order, independently, as AWS counts them.
    private static List<List<AwsPermission>> PackCidrs(IReadOnlyList<FirewallRule> rules, int quota)
    {
        List<List<(FirewallRule Rule, IPNetwork Cidr)>> v4 = QuotaPacker.Pack(rules.SelectMany(r => r.Prefixes.IPv4.Select(p => (r, p))), _ => 1, quota);
        List<List<(FirewallRule Rule, IPNetwork Cidr)>> v6 = QuotaPacker.Pack(rules.SelectMany(r => r.Prefixes.IPv6.Select(p => (r, p))), _ => 1, quota);
        var bins = new List<List<AwsPermission>>();
        for (int i = 0; i < Math.Max(v4.Count, v6.Count); i++)
        {
            List<(FirewallRule Rule, IPNetwork Cidr)> inGroup4 = i < v4.Count ? v4[i] : [];
            List<(FirewallRule Rule, IPNetwork Cidr)> inGroup6 = i < v6.Count ? v6[i] : [];
            bins.Add(rules
                .Select(rule => new AwsPermission(
                    rule,
                    AwsText.Description(rule.Description),
                    inGroup4.Where(e => e.Rule == rule).Select(e => e.Cidr).ToArray(),
                    inGroup6.Where(e => e.Rule == rule).Select(e => e.Cidr).ToArray(),
                    []))
                .Where(p => p.IPv4.Count + p.IPv6.Count > 0)
                .ToList());
        }

        return bins;
    }

    // A rule referencing a list counts as the list's max entries. AWS has been seen to add prefix list
    // references of both families into one count (awslimitchecker #431), so they share one tally here.
    private static List<List<AwsPermission>> PackPrefixLists(
        Direction direction, IReadOnlyList<FirewallRule> rules, AwsSecurityGroupOptions options, int maxEntries, List<AwsPrefixList> lists)
    {
        var references = new List<(FirewallRule Rule, AwsPrefixList List)>();
        foreach (FirewallRule rule in rules)
        {
            foreach ((AddressFamilies family, PrefixSet prefixes) in PrefixChunks.ByFamily(rule.Prefixes))
            {
                foreach (IPNetwork[] chunk in PrefixChunks.Split(prefixes, maxEntries))
                {
                    // Rules with the same prefixes (logs on 443 and 10516) share a list.
                    AwsPrefixList? list = lists.Find(l => l.Direction == direction && l.Entries.SequenceEqual(chunk));
                    if (list is null)
                    {
                        int number = lists.Count(l => l.Direction == direction && l.Family == family) + 1;
                        string label = $"{direction.Keyword()}-{family.Keyword()}-{number}";
                        list = new AwsPrefixList($"{options.Name}-{label}", direction, family, number, chunk,
                            AwsText.Description($"Datadog {string.Join(", ", rule.Sources)}"));
                        lists.Add(list);
                    }

                    references.Add((rule, list));
                }
            }
        }

        return QuotaPacker.Pack(references, r => r.List.MaxEntries, options.RulesPerGroup)
            .Select(bin => bin
                .GroupBy(r => r.Rule)
                .Select(g => new AwsPermission(g.Key, AwsText.Description(g.Key.Description), [], [], g.Select(r => r.List).ToArray()))
                .ToList())
            .ToList();
    }
}
