using System.Globalization;
using FirewallRules.Advice;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Gcp;

/// <summary>
/// How a rule set becomes VPC firewall rules: one family per rule (GCP does not mix them), at most
/// <see cref="GcpFirewallOptions.MaxRangesPerRule"/> ranges each, distinct names and priorities, and the denies the rules
/// need. Shared by <c>gcp-firewall</c> and <c>terraform-gcp</c>; every limit is checked here.
/// </summary>
/// <remarks>
/// GCP's implied rules deny all ingress and allow all egress (priority 65535), and the default network adds
/// <c>default-allow-internal</c> (65534). So an egress allow-list gets a deny of all other egress per family, and each
/// closed port (<see cref="FirewallRule.ClosesPort"/>) a deny of its protocol and port from any address, at the last
/// priorities of their direction up to <see cref="GcpFirewallOptions.DenyPriority"/>.
/// </remarks>
internal sealed class GcpFirewallPlan
{
    private static readonly (AddressFamilies Family, PrefixSet Any)[] Everything =
        [(AddressFamilies.IPv4, PrefixSet.Parse("0.0.0.0/0")), (AddressFamilies.IPv6, PrefixSet.Parse("::/0"))];

    private GcpFirewallPlan(RuleSet rules, IReadOnlyList<GcpFirewallRule> firewallRules, IReadOnlyList<string> notes)
    {
        Rules = rules;
        FirewallRules = firewallRules;
        Notes = notes;
    }

    /// <summary>The rules as rendered (prepared by the render step).</summary>
    public RuleSet Rules { get; }

    /// <summary>The firewall rules: egress then ingress, each by priority.</summary>
    public IReadOnlyList<GcpFirewallRule> FirewallRules { get; }

    /// <summary>Sentences on what the output does beyond the rules themselves.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Plans <paramref name="rules"/>.</summary>
    /// <exception cref="RuleGenerationException">Target tags and service accounts both given, a name GCP refuses, or priorities past the denies or 65535.</exception>
    public static GcpFirewallPlan Create(PreparedRules rules, GcpFirewallOptions options)
    {
        if (options.TargetTags.Count > 0 && options.TargetServiceAccounts.Count > 0)
        {
            throw new RuleGenerationException("a GCP firewall rule targets network tags or service accounts, not both",
                new SettingAdvice(
                    "give {0} or {1}",
                    SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.TargetTags)),
                    SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.TargetServiceAccounts))));
        }

        RuleSet prepared = rules.Rules;
        var planned = new List<GcpFirewallRule>();
        var notes = new List<string>();
        foreach (Direction direction in prepared.Directions)
        {
            var mine = new List<GcpFirewallRule>();
            int priority = options.FirstPriority;
            foreach (FirewallRule rule in prepared.Rules.Where(r => r.Direction == direction))
            {
                foreach ((AddressFamilies family, PrefixSet prefixes) in PrefixChunks.ByFamily(rule.Prefixes))
                {
                    IReadOnlyList<PrefixSet> chunks = PrefixChunks.Slices(prefixes, options.MaxRangesPerRule);
                    for (int i = 0; i < chunks.Count; i++)
                    {
                        string name = $"{options.Name}-{rule.Name}-{family.Keyword()}" + (chunks.Count > 1 ? $"-{i + 1}" : string.Empty);
                        string part = chunks.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $", part {i + 1} of {chunks.Count}") : string.Empty;
                        mine.Add(new GcpFirewallRule(name, direction, priority, rule.Action, rule.Port, chunks[i], $"{rule.Description} ({family.Label()}{part})"));
                        priority += options.PriorityStep;
                    }
                }
            }

            List<GcpFirewallRule> denies = PlannedDenies(prepared, direction, options, notes);
            Check(direction, mine, denies);
            planned.AddRange(mine);
            planned.AddRange(denies);
        }

        if (planned.Find(r => !GcpNames.IsValid(r.Name)) is GcpFirewallRule misnamed)
        {
            throw new RuleGenerationException($"'{misnamed.Name}' is not a GCP firewall rule name ({GcpNames.Rule})",
                new SettingAdvice("use a lowercase, shorter name prefix ({0})", SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.Name))));
        }

        return new GcpFirewallPlan(prepared, planned, notes);
    }

    private static List<GcpFirewallRule> PlannedDenies(RuleSet prepared, Direction direction, GcpFirewallOptions options, List<string> notes)
    {
        var denies = new List<(GcpFirewallRule Rule, string Reason)>();
        foreach (PortRange port in PortClosing.In(prepared, direction))
        {
            denies.AddRange(Everything.Select(any => (new GcpFirewallRule(
                $"{options.Name}-{FirewallRule.NameOf(direction, port)}-deny-others-{any.Family.Keyword()}", direction, 0, RuleAction.Deny, port, any.Any,
                PortClosing.DropDescription(direction, port, "deny")) { IsPlannedDeny = true },
                $"denies other {(direction == Direction.Egress ? "egress to" : "ingress on")} {port}, a closed port ({any.Family.Label()}): " +
                "another allow rule, such as the default network's default-allow-internal, would let it in.")));
        }

        if (direction == Direction.Egress && options.DenyOtherEgress && prepared.Rules.Any(r => r.Direction == direction && r.Action == RuleAction.Allow))
        {
            denies.AddRange(Everything.Select(any => (new GcpFirewallRule($"{options.Name}-deny-other-egress-{any.Family.Keyword()}", direction, 0, RuleAction.Deny, null, any.Any,
                "deny other egress: only the rules above are allowed") { IsPlannedDeny = true },
                $"denies all other {any.Family.Label()} egress: GCP's implied allow-egress rule (65535) would otherwise let everything out, " +
                "and the allow-list would restrict nothing.")));
        }

        int first = options.DenyPriority - denies.Count + 1;
        return denies.Select((deny, i) =>
        {
            GcpFirewallRule rule = deny.Rule with { Priority = first + i };
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{rule.Name} (priority {rule.Priority}) {deny.Reason}"));
            return rule;
        }).ToList();
    }

    private static void Check(Direction direction, List<GcpFirewallRule> rules, List<GcpFirewallRule> denies)
    {
        string way = direction.Keyword();
        if (denies is [GcpFirewallRule firstDeny, ..] && firstDeny.Priority < 0)
        {
            throw new RuleGenerationException($"the {denies.Count} {way} deny rules need priorities below 0",
                new SettingAdvice("raise {0}", SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.DenyPriority))));
        }

        if (rules.LastOrDefault() is GcpFirewallRule last && (last.Priority > 65535 || (denies.Count > 0 && last.Priority >= denies[0].Priority)))
        {
            throw new RuleGenerationException(
                string.Create(CultureInfo.InvariantCulture,
                    $"the {rules.Count} {way} rules need priorities up to {last.Priority}, past {(denies.Count == 0 ? "GCP's 65535" : $"the deny rules' {denies[0].Priority}")}"),
                new SettingAdvice(
                    "lower {0} or raise {1}",
                    SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.FirstPriority)),
                    SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.MaxRangesPerRule))));
        }
    }
}
