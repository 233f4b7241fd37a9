using System.Globalization;
using System.Net;
using FirewallRules.Advice;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// How a rule set becomes the security rules of one Azure NSG: names, priorities, prefixes split within the
/// limits, and the denies the rules need. Shared by the three Azure formats, which only differ in how they write
/// it; every limit is checked here, before anything is written.
/// </summary>
/// <remarks>
/// Azure's default rules allow the virtual network in and out (AllowVnetInBound, AllowVnetOutBound, 65000) and the
/// Internet out (AllowInternetOutBound, 65001). So an egress allow-list gets a deny of all other outbound traffic to
/// the Internet, and each closed port (<see cref="FirewallRule.ClosesPort"/>) a deny of its protocol and port from
/// (or to) any address: the planned denies take the last priorities of their direction, counting down from
/// <see cref="AzureNsgOptions.DenyPriority"/>, below every rule of the set and, by default, every rule of yours.
/// </remarks>
internal sealed class NsgPlan
{
    private const int MaxRules = 1000;
    private const int MaxAddressesPerSide = 4000;
    private const int MaxDescriptionLength = 140;
    private const int MinPriority = 100;
    private const int MaxPriority = 4096;

    private NsgPlan(RuleSet rules, IReadOnlyList<NsgRule> securityRules, IReadOnlyList<string> notes)
    {
        Rules = rules;
        SecurityRules = securityRules;
        Notes = notes;
    }

    /// <summary>The rules as rendered: families filtered and budget applied.</summary>
    public RuleSet Rules { get; }

    /// <summary>The NSG's security rules: outbound then inbound, each by priority.</summary>
    public IReadOnlyList<NsgRule> SecurityRules { get; }

    /// <summary>Sentences on what the output does beyond the rules themselves (the planned denies).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Plans <paramref name="rules"/> for an NSG.</summary>
    /// <exception cref="RuleGenerationException">
    /// Nothing is left to allow, or the rules would not fit the priorities, the 1,000 rules or the 4,000 addresses per side of an NSG.
    /// </exception>
    public static NsgPlan Create(PreparedRules rules, AzureNsgOptions options)
    {
        RuleSet prepared = rules.Rules;
        var securityRules = new List<NsgRule>();
        var notes = new List<string>();
        foreach (Direction direction in prepared.Directions)
        {
            int priority = options.FirstPriority;
            foreach (FirewallRule rule in prepared.Rules.Where(r => r.Direction == direction))
            {
                foreach ((AddressFamilies family, PrefixSet prefixes) in PrefixChunks.ByFamily(rule.Prefixes))
                {
                    IReadOnlyList<IPNetwork[]> chunks = PrefixChunks.Split(prefixes, options.MaxAddressesPerRule);
                    for (int i = 0; i < chunks.Count; i++)
                    {
                        string name = $"{options.Name}-{rule.Name}-{family.Keyword()}" + (chunks.Count > 1 ? $"-{i + 1}" : string.Empty);
                        string description = rule.Description
                            + (chunks.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $", part {i + 1} of {chunks.Count}") : string.Empty);
                        securityRules.Add(new NsgRule(name, priority, rule.Direction, rule.Action, rule.Port, chunks[i], Truncate(description)));
                        priority += options.PriorityStep;
                    }
                }
            }

            securityRules.AddRange(PlannedDenies(prepared, direction, options, notes));
        }

        Check(securityRules);
        return new NsgPlan(prepared, securityRules, notes);
    }

    /// <summary>The denies <paramref name="direction"/> needs, at its last priorities up to <see cref="AzureNsgOptions.DenyPriority"/>, with a note on each.</summary>
    private static List<NsgRule> PlannedDenies(RuleSet prepared, Direction direction, AzureNsgOptions options, List<string> notes)
    {
        string way = direction == Direction.Egress ? "outbound" : "inbound";
        var denies = new List<(NsgRule Rule, string Reason)>();
        foreach (PortRange port in PortClosing.In(prepared, direction))
        {
            denies.Add((
                NsgRule.DenyPort(
                    $"{options.Name}-{FirewallRule.NameOf(direction, port)}-deny-others", direction, port, Truncate(PortClosing.DropDescription(direction, port, "deny"))),
                $"denies other {way} traffic on {port}, a closed port: Azure's default rule " +
                $"{(direction == Direction.Egress
                    ? "AllowVnetOutBound (65000) and AllowInternetOutBound (65001) would allow it"
                    : "AllowVnetInBound (65000) would let the virtual network reach it")}."));
        }

        // Only an allow-list needs the rest denied; a blocklist of denies must leave other traffic alone.
        if (direction == Direction.Egress && options.DenyInternetOutbound && prepared.Rules.Any(r => r.Direction == direction && r.Action == RuleAction.Allow))
        {
            denies.Add((NsgRule.DenyInternet($"{options.Name}-deny-internet-outbound", Truncate("deny other outbound traffic to the Internet: only the rules above are allowed")),
                "denies outbound traffic to the Internet that no rule above allows: Azure's default rule AllowInternetOutBound (65001) would allow it. " +
                "Traffic within the virtual network is not affected."));
        }

        int first = options.DenyPriority - denies.Count + 1;
        return denies.Select((deny, i) =>
        {
            NsgRule rule = deny.Rule with { Priority = first + i };
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{rule.Name} (priority {rule.Priority}) {deny.Reason}"));
            return rule;
        }).ToList();
    }

    private static void Check(List<NsgRule> rules)
    {
        if (rules.Find(r => !AzureNames.IsValidRule(r.Name)) is NsgRule misnamed)
        {
            throw new RuleGenerationException($"'{misnamed.Name}' is not a valid NSG rule name",
                new SettingAdvice("use a shorter {0}", SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.Name))));
        }

        foreach (IGrouping<Direction, NsgRule> direction in rules.GroupBy(r => r.Direction))
        {
            NsgRule[] planned = direction.Where(r => r.IsPlannedDeny).ToArray();
            NsgRule? lastRule = direction.LastOrDefault(r => !r.IsPlannedDeny);
            if (planned is [NsgRule firstPlanned, ..] && firstPlanned.Priority < MinPriority)
            {
                throw new RuleGenerationException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"the {planned.Length} {direction.Key.Keyword()} deny rules need priorities from {firstPlanned.Priority}, below Azure's {MinPriority}"),
                    new SettingAdvice("raise {0}", SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.DenyPriority))));
            }

            if (lastRule is not null && (lastRule.Priority > MaxPriority || (planned.Length > 0 && lastRule.Priority >= planned[0].Priority)))
            {
                throw new RuleGenerationException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"the {direction.Count()} {direction.Key.Keyword()} rules need priorities up to {lastRule.Priority}, past " +
                        $"{(planned.Length == 0
                            ? $"Azure's {MaxPriority}"
                            : planned.Length == 1 ? $"the deny rule's {planned[0].Priority}" : $"the deny rules' {planned[0].Priority}")}"),
                    new SettingAdvice("lower {0} or {1}",
                        SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.FirstPriority)), SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.PriorityStep))));
            }
        }

        if (rules.Count > MaxRules)
        {
            throw new RuleGenerationException(
                string.Create(CultureInfo.InvariantCulture, $"the NSG would need {rules.Count} rules, more than Azure's {MaxRules}"),
                new SettingAdvice(
                    "raise {0} or set a prefix budget ({1})",
                    SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.MaxAddressesPerRule)),
                    SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule))));
        }

        foreach ((string side, int count) in new[]
        {
            ("source", rules.Where(r => r.Direction == Direction.Ingress).Sum(r => r.Prefixes.Count)),
            ("destination", rules.Where(r => r.Direction == Direction.Egress).Sum(r => r.Prefixes.Count)),
        })
        {
            if (count > MaxAddressesPerSide)
            {
                throw new RuleGenerationException(
                    string.Create(CultureInfo.InvariantCulture, $"the rules list {count} {side} prefixes, more than the {MaxAddressesPerSide} an NSG can hold"),
                    new SettingAdvice("set a prefix budget ({0}) or select fewer sections or ports", SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule))));
            }
        }

    }

    private static string Truncate(string description) =>
        description.Length <= MaxDescriptionLength ? description : description[..MaxDescriptionLength];
}
