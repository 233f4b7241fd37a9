using System.Text.RegularExpressions;
using FirewallRules.Cidr;
using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>
/// fwrules' listener protection found in the table a sync owns (<c>generate --agent</c> applied by hand replaced the
/// table): read back from the kernel's listing (each ingress rule's ports, sources from its comment, addresses from its
/// sets) so that the sync loads it again beside the allow-list instead of refusing or erasing it: both kept, as
/// <c>sync --agent</c> keeps them.
/// </summary>
internal static partial class ListenerAdoption
{
    /// <summary>The listener protection the nftables listing holds, or null when it holds none, or none that can be read back in full.</summary>
    /// <param name="kernel">The kernel's listing of the table (<c>nft -s list table</c>).</param>
    public static RuleSet? FromNftables(string kernel)
    {
        var rules = new List<FirewallRule>();
        foreach (Match rule in IngressRule().Matches(kernel))
        {
            string port = rule.Groups["port"].Value;
            string protocol = rule.Groups["proto"].Value;
            string[] sources = [.. rule.Groups["sources"].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries)];
            if (rules.Any(r => r.Port.ToString() == $"{port}/{protocol}"))
            {
                continue; // the other family's rule of the same listener
            }

            PrefixSet? prefixes = SetElements(kernel, $"ingress-{protocol}-{port}-v4") is { } v4 && SetElements(kernel, $"ingress-{protocol}-{port}-v6") is { } v6
                ? v4.Union(v6)
                : null;
            if (prefixes is null || prefixes.Count == 0)
            {
                return null;
            }

            rules.Add(new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse($"{port}/{protocol}"), prefixes, sources, closesPort: true));
        }

        return rules.Count == 0 ? null
            : RuleSet.Create(rules, new RuleSetProvenance(null, null, null, [.. rules.SelectMany(r => r.Sources).Distinct()], IsEmbeddedSnapshot: false));
    }

    /// <summary>A key for what was read back, so that a run compares with what the last one applied under the same adoption.</summary>
    public static string Key(RuleSet listeners) =>
        "adopted " + string.Join(';', listeners.Rules.Select(rule => $"{rule.Port}={string.Join(',', rule.Sources)}:{string.Join(',', rule.Prefixes)}"));

    private static PrefixSet? SetElements(string kernel, string set)
    {
        Match found = Regex.Match(kernel, $@"set {Regex.Escape(set)} \{{[^}}]*?elements = \{{(?<elements>[^}}]*)\}}", RegexOptions.None, TimeSpan.FromSeconds(1));
        if (!found.Success)
        {
            return kernel.Contains($"set {set} {{", StringComparison.Ordinal) ? PrefixSet.Empty : null;
        }

        try
        {
            return PrefixSet.Parse(string.Join('\n', found.Groups["elements"].Value.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        }
        catch (PrefixFormatException)
        {
            return null; // a range nft lists as a-b: not read back; the sync then refuses as before
        }
    }

    // "ip saddr @ingress-udp-8125-v4 udp dport 8125 accept comment "datadog: allow ingress on 8125/udp for datadog:dogstatsd"", and
    // as a sync loads it again, with " (ip-ranges v59)" after the sources. Only agent:feature sources: an ingress section of
    // the ranges (webhooks, "for webhooks") is the allow-list's own.
    [GeneratedRegex(@"@ingress-(?<proto>tcp|udp)-(?<port>[0-9]+(?:-[0-9]+)?)-v[46] (?:tcp|udp) dport [0-9-]+ (?:counter )?accept comment ""[^""]*: " +
        @"allow ingress on [^""]* for (?<sources>[a-z0-9-]+:[a-z0-9-]+(?:, [a-z0-9-]+:[a-z0-9-]+)*)(?: \(ip-ranges v[0-9]+\))?""")]
    private static partial Regex IngressRule();
}
