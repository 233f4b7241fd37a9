using System.Globalization;
using FirewallRules.Advice;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.AllowList;

/// <summary>
/// The host names an allow-list holds for a rule set: for each outbound allow rule, the names Datadog documents for its
/// sections on its port at the rules' site (<see cref="IntakeHostNames"/>, the list Cilium's <c>toFQDNs</c> form reads),
/// and what is left out with the reason.
/// </summary>
internal static class AllowListHosts
{
    /// <summary>One allowed name on one port.</summary>
    public sealed record Entry(string Name, PortRange Port, string Section);

    /// <summary>The names to allow and the rules left out, each as a reason line.</summary>
    /// <exception cref="RuleGenerationException">Outbound rules come from no named Datadog site, whose host names are unknown.</exception>
    /// <param name="rules">The rules.</param>
    /// <param name="throughHttpProxy">For a proxy's allow-list: raw TCP (logs over TCP) is left out, as no HTTP proxy carries it.</param>
    public static (IReadOnlyList<Entry> Entries, IReadOnlyList<string> LeftOut) Of(RuleSet rules, bool throughHttpProxy)
    {
        var entries = new List<Entry>();
        var leftOut = new List<string>();
        Site? site = rules.Provenance.Site;
        foreach (FirewallRule rule in rules.Rules)
        {
            if (rule.Direction != Direction.Egress || rule.Action != RuleAction.Allow)
            {
                leftOut.Add($"{rule.Name} ({string.Join(", ", rule.Sources)}): not an outbound allow rule, which a name-aware allow-list cannot hold");
                continue;
            }

            if (site is null || site.IsCustom)
            {
                throw new RuleGenerationException(
                    $"the {rule.Name} rule: host names are known for Datadog's sites only, and these ranges come from {(site is null ? "no named site" : site.ToString())}");
            }

            foreach (string section in rule.Sources)
            {
                if (throughHttpProxy && IntakeHostNames.IsRawTcp(section, rule.Port))
                {
                    leftOut.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{rule.Name}: section '{section}' on {rule.Port} is logs over TCP, a raw connection the Agent never sends through an HTTP proxy"));
                    continue;
                }

                if (IntakeHostNames.For(section, rule.Port, site.Domain) is not { } names)
                {
                    leftOut.Add(string.Create(CultureInfo.InvariantCulture, $"{rule.Name}: Datadog documents no host name for section '{section}' on {rule.Port}"));
                    continue;
                }

                entries.AddRange(names.Select(name => new Entry(name, rule.Port, section)));
            }
        }

        return ([.. entries.DistinctBy(e => (e.Name, e.Port)).OrderBy(e => e.Port).ThenBy(e => e.Name, StringComparer.Ordinal)], leftOut);
    }

    /// <summary>The description's warning: rules the allow-list leaves out.</summary>
    public static SettingAdvice? Warning(RuleSet rules, bool throughHttpProxy)
    {
        try
        {
            IReadOnlyList<string> leftOut = Of(rules, throughHttpProxy).LeftOut;
            return leftOut.Count == 0 ? null
                : new SettingAdvice($"not rendered by name: {string.Join("; ", leftOut)}"
                    .Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
        }
        catch (RuleGenerationException)
        {
            return null;
        }
    }
}
