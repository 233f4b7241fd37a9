using System.Globalization;
using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>
/// The set that says which document version the ipset sets hold (<c>{name}-version</c>, <c>hash:ip maxelem 1</c>, its one
/// element the version as an IPv4 address: version 47 is <c>0.0.0.47</c>). The full ipset output leaves it; the update
/// checks it before its first change and moves it once every set is swapped.
/// </summary>
/// <remarks>
/// <para><c>ipset restore</c> has no conditional and is not a transaction, and an update applied a second time must succeed
/// and change nothing. So the check must pass when the mark holds the old version or the new one and fail otherwise,
/// changing nothing in either case. <c>del -exist</c> of the old version then <c>add -exist</c> of the new does that in a
/// set of one element: old version: removed, then the new added; new version: nothing to remove, already added; any other
/// version: nothing removed, and the add fails because the set is full (ipset: "Hash is full"); no mark: the set does not
/// exist. Both ways ipset stops at that line and nothing has changed. Two more lines then put the old version back, so that
/// an update stopped part way leaves the mark at the old version and the same update can be applied again.</para>
/// <para>Why not <c>ipset test</c>: in restore mode a <c>test</c> that finds its entry ends the whole restore, successfully,
/// and one that does not fails it, so it cannot let the old version through and stop at the new one.</para>
/// </remarks>
internal static class IpsetVersionMark
{
    private const string Type = "hash:ip family inet hashsize 64 maxelem 1";

    /// <summary>The mark's set name: <c>{name}-version</c>; it fits whenever the rules' set names do.</summary>
    public static string Name(EmitterOptions options) => options.Name + "-version";

    /// <summary>The lines of the full output that leave the mark at <paramref name="prepared"/>'s version, swapped in whole; none without a version.</summary>
    public static void WriteFull(TextWriter output, IptablesEmitterOptions options, RuleSet prepared)
    {
        if (prepared.Provenance.Version is not long version || Element(version) is not string element)
        {
            return;
        }

        string mark = Name(options), temporary = IptablesNames.TemporarySet(mark);
        if (options.Comments)
        {
            NetfilterText.WriteComment(output, $"{mark}: the version these sets hold ({element} is version {version}), which an update checks before it changes anything.");
        }

        output.Write($"create {mark} {Type} -exist\n");
        output.Write($"create {temporary} {Type} -exist\n");
        output.Write($"flush {temporary}\n");
        output.Write($"add {temporary} {element}\n");
        output.Write($"swap {temporary} {mark}\n");
        output.Write($"destroy {temporary}\n");
    }

    /// <summary>The version's element, or null when it cannot be one (not between 1 and 4294967295).</summary>
    public static string? Element(long version) => version is < 1 or > uint.MaxValue
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"{(version >> 24) & 255}.{(version >> 16) & 255}.{(version >> 8) & 255}.{version & 255}");

    /// <summary>The elements of both versions, or a refusal when either has none.</summary>
    /// <exception cref="RuleGenerationException">Either rule set has no document version an element can carry.</exception>
    public static (string Previous, string Current) Elements(RuleSet previous, RuleSet current, string remedy)
    {
        string? before = previous.Provenance.Version is long v1 ? Element(v1) : null;
        string? after = current.Provenance.Version is long v2 ? Element(v2) : null;
        return before is not null && after is not null
            ? (before, after)
            : throw new RuleGenerationException(
                $"the ipset update checks the document version the sets hold, and {(before is null ? "the previous" : "the current")} rules have none: {remedy}");
    }

    /// <summary>The check, and the old version put back (see the remarks).</summary>
    public static void WriteCheck(TextWriter output, string mark, (string Previous, string Current) elements)
    {
        output.Write($"del {mark} {elements.Previous} -exist\n");
        output.Write($"add {mark} {elements.Current} -exist\n");
        output.Write($"del {mark} {elements.Current}\n");
        output.Write($"add {mark} {elements.Previous}\n");
    }

    /// <summary>The mark moved to the new version, once every set holds it.</summary>
    public static void WriteMove(TextWriter output, string mark, (string Previous, string Current) elements)
    {
        output.Write($"del {mark} {elements.Previous}\n");
        output.Write($"add {mark} {elements.Current}\n");
    }
}
