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
    /// <summary>
    /// Refuses (exit 2) a <paramref name="requested"/> family that <paramref name="emitter"/> cannot render, whatever the
    /// rules hold (an explicit <c>--family both</c> for a format of one family): one line naming the format of the other
    /// family, and those holding both.
    /// </summary>
    /// <exception cref="CliException">A requested family the format does not render.</exception>
    public static void Check(IRuleEmitter emitter, RuleSet rules, AddressFamilies requested, EmitterRegistry registry)
    {
        foreach (AddressFamilies family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 }.Where(f => (requested & f) != 0 && (emitter.Families & f) == 0))
        {
            string rendered = Label(emitter.Families);
            string what = Dropped(emitter, rules, family) is { } sections ? $"the {Label(family)} prefixes of {string.Join(", ", sections)}" : Label(family);
            string with = Companions(emitter, family, registry) is { Length: > 0 } formats ? formats : "another format";
            throw new CliException(
                $"{emitter.Format} renders {rendered} only, not --family {Choices.Word(requested)}: give --family {Choices.Word(emitter.Families)} (or leave it out) " +
                $"for its {rendered} rules, and render {what} with {with}" +
                $"{Alternatives(emitter, registry, "; for both in one output, use ")}.",
                ExitCode.Usage);
        }
    }

    /// <summary>
    /// With no <c>--family</c>, a format of one family renders that family: the warning naming the other family's prefixes
    /// it leaves out, and where they go (the format of the other family, or one holding both); null when nothing is left out.
    /// </summary>
    public static string? LeftOut(IRuleEmitter emitter, RuleSet rules, EmitterRegistry registry)
    {
        AddressFamilies other = emitter.Families == AddressFamilies.IPv4 ? AddressFamilies.IPv6 : AddressFamilies.IPv4;
        if (emitter.Families == AddressFamilies.Both || Dropped(emitter, rules, other) is not { } sections)
        {
            return null;
        }

        string companion = Companions(emitter, other, registry) is { Length: > 0 } formats ? $"render them with {formats}" : string.Empty;
        string both = Alternatives(emitter, registry, companion.Length == 0 ? "use " : "; for both in one output, use ");
        return $"{emitter.Format} renders {Label(emitter.Families)} only (the default --family for it): the {Label(other)} prefixes of " +
            $"{string.Join(", ", sections)} are left out{(companion.Length + both.Length == 0 ? string.Empty : ": ")}{companion}{both}";
    }

    // The sources with prefixes of family that the emitter drops; null when there are none, or when the rules have no prefix
    // of the emitter's own family at all (the render step's refusal, "... list no IPv6 prefixes", says it better).
    private static string[]? Dropped(IRuleEmitter emitter, RuleSet rules, AddressFamilies family)
    {
        string[] sections = [.. rules.Rules.Where(rule => !(family == AddressFamilies.IPv4 ? rule.Prefixes.IPv4 : rule.Prefixes.IPv6).IsEmpty)
            .SelectMany(rule => rule.Sources).Distinct(StringComparer.Ordinal)];
        return sections.Length == 0 || rules.Rules.All(rule => (emitter.Families == AddressFamilies.IPv4 ? rule.Prefixes.IPv4 : rule.Prefixes.IPv6).IsEmpty)
            ? null
            : sections;
    }

    // The formats of the same platform (the emitter's own folder).
    private static IEnumerable<IRuleEmitter> Platform(IRuleEmitter emitter, EmitterRegistry registry) =>
        registry.Formats.Select(f => registry.Create(f.Format)).Where(other => other.GetType().Namespace == emitter.GetType().Namespace);

    // The formats of the same platform that hold family alone, as options (-f ip6tables or -f ip6tables-ipset); empty when there is none.
    private static string Companions(IRuleEmitter emitter, AddressFamilies family, EmitterRegistry registry) =>
        string.Join(" or ", Platform(emitter, registry).Where(f => f.Families == family).Select(f => $"-f {f.Format}"));

    // The formats of the same platform that hold both families, after lead; empty when there is none.
    private static string Alternatives(IRuleEmitter emitter, EmitterRegistry registry, string lead)
    {
        string[] both = [.. Platform(emitter, registry).Where(other => other.Families == AddressFamilies.Both).Select(other => other.Format)];
        return both.Length == 0 ? string.Empty : $"{lead}{string.Join(" or ", both)}";
    }

    private static string Label(AddressFamilies family) => family == AddressFamilies.IPv4 ? "IPv4" : "IPv6";
}
