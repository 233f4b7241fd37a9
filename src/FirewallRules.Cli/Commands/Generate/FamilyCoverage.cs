using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// Every family or a clear refusal: a format that holds one address family (as its emitter declares in
/// <see cref="IRuleEmitter.Families"/>) is refused when the rules asked for hold prefixes of the other family, rather
/// than silently dropping them (a dual-stack host would get half an allow-list, or a listener protection that leaves its
/// listeners open over the other family). The rules' sources name what has the other family: sections, or listeners
/// (<c>datadog:dogstatsd</c>).
/// </summary>
internal static class FamilyCoverage
{
    /// <summary>Refuses (exit 2) when <paramref name="rules"/> hold prefixes of a family in <paramref name="requested"/> that <paramref name="emitter"/> cannot render.</summary>
    /// <exception cref="CliException">A requested family with prefixes would be dropped.</exception>
    public static void Check(IRuleEmitter emitter, RuleSet rules, AddressFamilies requested, EmitterRegistry registry)
    {
        foreach (AddressFamilies family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 }.Where(f => (requested & f) != 0 && (emitter.Families & f) == 0))
        {
            string[] sections = [.. rules.Rules.Where(rule => !(family == AddressFamilies.IPv4 ? rule.Prefixes.IPv4 : rule.Prefixes.IPv6).IsEmpty)
                .SelectMany(rule => rule.Sources).Distinct(StringComparer.Ordinal)];
            // No prefix of its own family at all: the render step's refusal ("... list no IPv6 prefixes") says it better.
            if (sections.Length == 0 || rules.Rules.All(rule => (emitter.Families == AddressFamilies.IPv4 ? rule.Prefixes.IPv4 : rule.Prefixes.IPv6).IsEmpty))
            {
                continue;
            }

            // The formats of the same platform (the emitter's own folder) that hold both families.
            string[] both = [.. registry.Formats.Select(f => registry.Create(f.Format))
                .Where(other => other.Families == AddressFamilies.Both && other.GetType().Namespace == emitter.GetType().Namespace)
                .Select(other => other.Format)];
            string alternatives = both.Length == 0 ? string.Empty : $"; for both, use {string.Join(" or ", both)}";
            string rendered = Label(emitter.Families);
            throw new CliException(
                $"{emitter.Format} renders {rendered} only, and {string.Join(", ", sections)} {(sections.Length == 1 ? "has" : "have")} {Label(family)} prefixes too: " +
                $"add --family {Choices.Word(emitter.Families)} to render {rendered} alone{alternatives}.",
                ExitCode.Usage);
        }
    }

    private static string Label(AddressFamilies family) => family == AddressFamilies.IPv4 ? "IPv4" : "IPv6";
}
