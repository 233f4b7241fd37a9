using System.Globalization;
using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// How a rule set becomes the security rules of one Azure NSG: names, priorities, prefixes split within the
/// limits, and the deny an egress allow-list needs. Shared by the three Azure formats, which only differ in how
/// they write it; every limit is checked here, before anything is written.
/// </summary>
internal sealed class NsgPlan
{
    private const int MaxRules = 1000;
    private const int MaxAddressesPerSide = 4000;
    private const int MaxDescriptionLength = 140;

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

    /// <summary>Sentences on what the output does beyond the rules themselves (the deny rule).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Plans <paramref name="rules"/> for an NSG.</summary>
    /// <exception cref="RuleGenerationException">Nothing is left to allow, or the rules would not fit the priorities, the 1,000 rules or the 4,000 addresses per side of an NSG.</exception>
    public static NsgPlan Create(RuleSet rules, AzureNsgOptions options)
    {
        RuleSet prepared = options.Prepare(rules);
        var securityRules = new List<NsgRule>();
        var notes = new List<string>();
        foreach (IGrouping<Direction, FirewallRule> direction in prepared.Rules.GroupBy(r => r.Direction).OrderBy(g => g.Key))
        {
            int priority = options.FirstPriority;
            foreach (FirewallRule rule in direction)
            {
                foreach ((AddressFamilies family, Cidr.PrefixSet prefixes) in PrefixChunks.ByFamily(rule.Prefixes))
                {
                    IReadOnlyList<IPNetwork[]> chunks = PrefixChunks.Split(prefixes, options.MaxAddressesPerRule);
                    for (int i = 0; i < chunks.Count; i++)
                    {
                        string name = $"{options.Name}-{rule.Name}-{PrefixChunks.Label(family)}" + (chunks.Count > 1 ? $"-{i + 1}" : string.Empty);
                        string description = rule.Description + (chunks.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $", part {i + 1} of {chunks.Count}") : string.Empty);
                        securityRules.Add(new NsgRule(name, priority, rule.Direction, rule.Action, rule.Port, chunks[i], Truncate(description)));
                        priority += options.PriorityStep;
                    }
                }
            }

            if (direction.Key == Direction.Egress && options.DenyInternetOutbound)
            {
                string name = $"{options.Name}-deny-internet-outbound";
                securityRules.Add(NsgRule.DenyInternet(name, options.DenyPriority, Truncate("deny other outbound traffic to the Internet: only the rules above are allowed")));
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name} (priority {options.DenyPriority}) denies outbound traffic to the Internet that no rule above allows: Azure's default rule AllowInternetOutBound (65001) would allow it. Traffic within the virtual network is not affected."));
            }
        }

        Check(securityRules);
        return new NsgPlan(prepared, securityRules, notes);
    }

    private static void Check(List<NsgRule> rules)
    {
        if (rules.Find(r => !AzureNames.IsValidRule(r.Name)) is NsgRule misnamed)
        {
            throw new RuleGenerationException($"'{misnamed.Name}' is not a valid NSG rule name: use a shorter Name");
        }

        foreach (IGrouping<Direction, NsgRule> direction in rules.GroupBy(r => r.Direction))
        {
            NsgRule last = direction.Last();
            NsgRule? lastAllow = direction.LastOrDefault(r => !r.IsInternetDeny);
            if (lastAllow is not null && (lastAllow.Priority > 4096 || (last.IsInternetDeny && lastAllow.Priority >= last.Priority)))
            {
                throw new RuleGenerationException(string.Create(CultureInfo.InvariantCulture,
                    $"the {direction.Count()} {direction.Key.ToString().ToLowerInvariant()} rules need priorities up to {lastAllow.Priority}, past {(last.IsInternetDeny ? $"the deny rule's {last.Priority}" : "Azure's 4096")}: lower FirstPriority or PriorityStep"));
            }
        }

        if (rules.Count > MaxRules)
        {
            throw new RuleGenerationException(string.Create(CultureInfo.InvariantCulture,
                $"the NSG would need {rules.Count} rules, more than Azure's {MaxRules}: raise MaxAddressesPerRule or set a prefix budget (MaxPrefixesPerRule, --max-rules)"));
        }

        foreach ((string side, int count) in new[]
        {
            ("source", rules.Where(r => r.Direction == Direction.Ingress).Sum(r => r.Prefixes.Count)),
            ("destination", rules.Where(r => r.Direction == Direction.Egress).Sum(r => r.Prefixes.Count)),
        })
        {
            if (count > MaxAddressesPerSide)
            {
                throw new RuleGenerationException(string.Create(CultureInfo.InvariantCulture,
                    $"the rules list {count} {side} prefixes, more than the {MaxAddressesPerSide} an NSG can hold: set a prefix budget (MaxPrefixesPerRule, --max-rules) or select fewer sections or ports"));
            }
        }

    }

    private static string Truncate(string description) =>
        description.Length <= MaxDescriptionLength ? description : description[..MaxDescriptionLength];
}

/// <summary>One security rule of the NSG.</summary>
/// <param name="Name">Valid for Azure (checked on creation).</param>
/// <param name="Priority">Unique within its direction, 100-4096.</param>
/// <param name="Direction">Outbound (egress) or inbound (ingress).</param>
/// <param name="Action">Allow or deny.</param>
/// <param name="Port">The destination port; null for any protocol and port.</param>
/// <param name="Prefixes">The remote prefixes (destinations outbound, sources inbound), one family; empty only for the Internet deny.</param>
/// <param name="Description">At most 140 characters.</param>
internal sealed record NsgRule(string Name, int Priority, Direction Direction, RuleAction Action, PortRange? Port, IReadOnlyList<IPNetwork> Prefixes, string Description)
{
    /// <summary>The service tag the Internet deny targets.</summary>
    public const string InternetTag = "Internet";

    /// <summary>Whether this is the deny below an egress allow-list (remote side: the Internet tag).</summary>
    public bool IsInternetDeny => Prefixes.Count == 0;

    /// <summary><c>Outbound</c> or <c>Inbound</c>.</summary>
    public string DirectionName => Direction == Direction.Egress ? "Outbound" : "Inbound";

    /// <summary><c>Allow</c> or <c>Deny</c>.</summary>
    public string Access => Action == RuleAction.Allow ? "Allow" : "Deny";

    /// <summary><c>Tcp</c>, <c>Udp</c>, or <c>*</c> for the deny.</summary>
    public string Protocol => Port is PortRange port ? (port.Protocol == TransportProtocol.Tcp ? "Tcp" : "Udp") : "*";

    /// <summary><c>443</c>, <c>8000-8100</c>, or <c>*</c> for the deny.</summary>
    public string DestinationPorts => Port is PortRange port
        ? (port.IsSinglePort ? port.First.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{port.First}-{port.Last}"))
        : "*";

    /// <summary>
    /// The rule's <c>properties</c> in the ARM/Bicep schema's order and names: prefix lists as the plural
    /// <c>...AddressPrefixes</c> arrays, the other side and the ports as <c>*</c>, the deny's target as the
    /// <c>Internet</c> service tag.
    /// </summary>
    /// <param name="descriptions">Whether to include the description.</param>
    public IEnumerable<NsgProperty> Properties(bool descriptions)
    {
        if (descriptions)
        {
            yield return new NsgProperty("description", Description);
        }

        yield return new NsgProperty("protocol", Protocol);
        yield return new NsgProperty("sourcePortRange", "*");
        yield return new NsgProperty("destinationPortRange", DestinationPorts);
        string[] prefixes = Prefixes.Select(p => p.ToString()).ToArray();
        if (Direction == Direction.Egress)
        {
            yield return new NsgProperty("sourceAddressPrefix", "*");
            yield return IsInternetDeny ? new NsgProperty("destinationAddressPrefix", InternetTag) : new NsgProperty("destinationAddressPrefixes", List: prefixes);
        }
        else
        {
            yield return new NsgProperty("sourceAddressPrefixes", List: prefixes);
            yield return new NsgProperty("destinationAddressPrefix", "*");
        }

        yield return new NsgProperty("access", Access);
        yield return new NsgProperty("priority", Number: Priority);
        yield return new NsgProperty("direction", DirectionName);
    }

    /// <summary>The deny rule an egress allow-list needs: everything outbound to the Internet.</summary>
    public static NsgRule DenyInternet(string name, int priority, string description) =>
        new(name, priority, Direction.Egress, RuleAction.Deny, null, [], description);
}

/// <summary>One property of a security rule: a string, a number or a list of strings.</summary>
internal sealed record NsgProperty(string Key, string? Text = null, int? Number = null, IReadOnlyList<string>? List = null);
