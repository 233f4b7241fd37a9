using FirewallRules.Advice;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// What the AWS WAF outputs hold, planned once before either writes a character: one IP set per family of the allowed prefixes
/// (<c>AWS::WAFv2::IPSet</c>, <c>aws_wafv2_ip_set</c>), and one rule group whose one rule blocks every client in none of them,
/// for the web ACL of the endpoint's load balancer, API Gateway stage or CloudFront distribution to reference.
/// </summary>
/// <remarks>
/// WAF judges the address that connected to the resource it guards (the client, for a load balancer or CloudFront). Its forwarded IP
/// configuration reads a header from whoever sends it, so these outputs never use it: put the web ACL on the first AWS resource the
/// clients reach (CloudFront, when it fronts the balancer).
/// </remarks>
internal sealed class WafIpSets
{
    /// <summary>AWS WAF's bound on the addresses of one IP set.</summary>
    internal const int MaxAddressesPerSet = 10_000;

    /// <summary>The rule group's capacity: one web ACL capacity unit per IP set reference, one per family.</summary>
    internal const int Capacity = 2;

    private WafIpSets(string name, IReadOnlyList<(string Version, string Family, PrefixSet Prefixes)> sets) => (Name, Sets) = (name, sets);

    /// <summary>The rule group's name, and the prefix of the sets', e.g. <c>datadog</c>.</summary>
    public string Name { get; }

    /// <summary>Each IP set: WAF's address version (<c>IPV4</c>, <c>IPV6</c>), the family's word for names (<c>ipv4</c>) and its prefixes.</summary>
    public IReadOnlyList<(string Version, string Family, PrefixSet Prefixes)> Sets { get; }

    /// <summary>What the header says about the rule group and where it goes.</summary>
    public static IReadOnlyList<string> Notes { get; } =
    [
        "Reference the rule group from the web ACL of the endpoint's load balancer, API Gateway stage or CloudFront distribution (a rule group " +
            "reference statement, with override action none); its one rule blocks every client outside these ranges, so put it first, or under a " +
            "scope-down for the endpoint's path.",
        "Client address: the one that connected to the resource the web ACL guards. No X-Forwarded-For is read (WAF's forwarded IP configuration " +
            "believes anyone's header): attach the web ACL to the first AWS resource clients reach, CloudFront when it fronts the balancer.",
        "Scope CLOUDFRONT must be deployed in us-east-1.",
    ];

    /// <summary>The IP sets of <paramref name="rules"/>' allowed prefixes in the families prepared.</summary>
    /// <exception cref="RuleGenerationException">A deny rule, or a family over <see cref="MaxAddressesPerSet"/> addresses.</exception>
    public static WafIpSets Create(RuleSet rules, EmitterOptions options, string format)
    {
        if (rules.Rules.FirstOrDefault(rule => rule.Action != RuleAction.Allow) is { } deny)
        {
            throw new RuleGenerationException(
                $"{format} admits the listed clients and blocks the rest, so it has no deny rule: the rule for {deny.Port} denies; render allow rules");
        }

        PrefixSet allowed = rules.Prefixes;
        var sets = new List<(string, string, PrefixSet)>();
        foreach ((string version, string family, PrefixSet prefixes) in new[] { ("IPV4", "ipv4", allowed.IPv4), ("IPV6", "ipv6", allowed.IPv6) })
        {
            if (prefixes.Count > MaxAddressesPerSet)
            {
                throw new RuleGenerationException(
                    $"{format}: {prefixes.Count} {family} prefixes, over the {MaxAddressesPerSet} addresses of an AWS WAF IP set",
                    new SettingAdvice("summarise the list with {0}", SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule))));
            }

            if (!prefixes.IsEmpty)
            {
                sets.Add((version, family, prefixes));
            }
        }

        return new WafIpSets(options.Name, sets);
    }
}
