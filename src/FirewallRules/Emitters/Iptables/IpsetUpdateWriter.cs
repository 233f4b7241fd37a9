using System.Globalization;
using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>
/// The <c>ipset restore</c> commands that turn the sets loaded by one version's ipset output into those of the next:
/// checks that change nothing, then each set that changes filled whole into its temporary twin and swapped in, then the
/// version mark moved.
/// </summary>
/// <remarks>
/// <para><c>ipset restore</c> is not a transaction: it stops at the first line that fails and keeps what the lines before
/// it did. So everything that could fail part way is checked first, by lines that change nothing in the sets the previous
/// output left: for each set changed, <c>swap</c> with itself (fails when the set is missing), <c>create -exist</c> with
/// the parameters the full output created it with (fails when its type, <c>maxelem</c> or extensions differ; the kernel
/// ignores <c>hashsize</c>, which grows with the set, and the family), and <c>add -exist</c> of a prefix both versions
/// list (fails when the set is of the other family). What those lines cannot check is refused here, before writing: a set
/// none of whose prefixes stays (nothing to check the family with), or a set that would need another <c>maxelem</c>.</para>
/// <para>Then the version the sets hold, from the mark the full output leaves (<see cref="IpsetVersionMark"/>): the
/// previous version or already the current one passes, anything else (another version, no mark) fails there, changing
/// nothing. Each changed set is then filled whole under its temporary name and swapped in (atomically, per set), as the
/// full output does, so a set never holds a mix and a second run leaves the same members; the mark moves last.</para>
/// </remarks>
/// <param name="options">The options the full output was written with.</param>
internal sealed class IpsetUpdateWriter(IptablesEmitterOptions options)
{
    private const string Remedy = "apply the full ipset output instead (fwrules generate --format ipset: it swaps each set in whole, atomically)";
    private readonly IpsetRestoreSets _sets = new(options);

    /// <summary>
    /// The update from <paramref name="previous"/> to <paramref name="current"/>, through the render step: both prepared as
    /// the full output (an <see cref="IpsetEmitter"/> with the same options) prepares them.
    /// </summary>
    /// <returns>The current rules as prepared: what the sets hold once the update is applied.</returns>
    /// <inheritdoc cref="Write" path="/exception"/>
    public static RuleSet Render(RuleSet previous, RuleSet current, IptablesEmitterOptions? options, TextWriter output)
    {
        IptablesEmitterOptions chosen = options ?? new IptablesEmitterOptions();
        return current.RenderUpdate(previous, new IpsetEmitter(chosen), (before, after) => new IpsetUpdateWriter(chosen).Write(before, after, output));
    }

    /// <summary>Writes the update from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    /// <exception cref="RuleGenerationException">
    /// Either rule set is empty in the chosen families; their shape differs (a set, direction, port, action or closed
    /// port appears or disappears); a set name is too long; or a set changes in a way the update cannot check first.
    /// </exception>
    public void Write(PreparedRules previous, PreparedRules current, TextWriter output)
    {
        RuleSet before = previous.Rules, after = current.Rules;
        IptablesNames.RequireSetsFit(options, before);
        IptablesNames.RequireSetsFit(options, after);
        Dictionary<string, IpsetSet> oldSets = _sets.Sets(before).ToDictionary(s => s.Name, StringComparer.Ordinal);
        IpsetSet[] fresh = [.. _sets.Sets(after)];
        SetChange[] changes = [.. SetChange.Plan(Shape(oldSets.Values), Shape(fresh), before, after, Remedy).Where(c => !c.IsEmpty)];
        RequireCheckable(changes, oldSets, fresh.ToDictionary(s => s.Name, StringComparer.Ordinal));
        (string Previous, string Current) versions = IpsetVersionMark.Elements(before, after, Remedy);
        string mark = IpsetVersionMark.Name(options);

        if (options.Comments)
        {
            WriteHeader(output, before, after, changes.Length == 0);
        }

        string? why = options.Comments
            ? $"{mark} must hold {versions.Previous} ({Version(before)}) or already {versions.Current} ({Version(after)}): if not, ipset stops on the next " +
              "two lines and nothing has changed (Hash is full: another version; the set does not exist: no full output of this fwrules loaded)."
            : null;
        WriteChecks(output, changes, oldSets, (mark, versions, why));

        Dictionary<string, IpsetSet> newSets = fresh.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (SetChange change in changes)
        {
            if (options.Comments)
            {
                NetfilterText.WriteComment(output, change.Summary);
            }

            IpsetSet set = newSets[change.Set];
            IpsetRestoreSets.WriteFill(output, set);
            output.Write($"swap {set.Temporary} {set.Name}\n");
            output.Write($"destroy {set.Temporary}\n");
        }

        if (options.Comments)
        {
            NetfilterText.WriteComment(output, $"Every set holds {Version(after)}: {mark} says so.");
        }

        IpsetVersionMark.WriteMove(output, mark, versions);
    }

    private static string Version(RuleSet rules) => $"version {rules.Provenance.Version}";

    private static IEnumerable<(string Name, FirewallRule Rule, PrefixSet Prefixes)> Shape(IEnumerable<IpsetSet> sets) =>
        sets.Select(s => (s.Name, s.Rule, s.Prefixes));

    // What the check lines cannot catch, refused before anything is written.
    private static void RequireCheckable(SetChange[] changes, Dictionary<string, IpsetSet> oldSets, Dictionary<string, IpsetSet> newSets)
    {
        var problems = new List<string>();
        foreach (SetChange change in changes)
        {
            uint maxElem = oldSets[change.Set].MaxElem;
            uint needed = newSets[change.Set].MaxElem;
            if (change.Kept.Count == 0)
            {
                problems.Add($"no prefix of {change.Set} stays as it is, so no line can check the set's family before changing it");
            }
            else if (needed != maxElem)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{change.Set} needs maxelem {needed} instead of {maxElem}, which an existing set keeps"));
            }
        }

        if (problems.Count > 0)
        {
            throw new RuleGenerationException($"the ipset update cannot be applied safely ({string.Join("; ", problems)}): {Remedy}");
        }
    }

    // Lines that change nothing in the sets the previous output left, and fail on a set that is not one of them.
    private static void WriteChecks(
        TextWriter output, SetChange[] changes, Dictionary<string, IpsetSet> oldSets, (string Name, (string Previous, string Current) Versions, string? Why) mark)
    {
        foreach (SetChange change in changes)
        {
            output.Write($"swap {change.Set} {change.Set}\n");
        }

        foreach (SetChange change in changes)
        {
            output.Write($"create {change.Set} {oldSets[change.Set].Type} -exist\n");
        }

        // Before the adds below, which would add a kept prefix to a set of another version that lacks it.
        if (mark.Why is not null)
        {
            NetfilterText.WriteComment(output, mark.Why);
        }

        IpsetVersionMark.WriteCheck(output, mark.Name, mark.Versions);

        // The set holds this prefix before the update, during it and after it; ipset parses it as the set's family.
        foreach (SetChange change in changes)
        {
            output.Write($"add {change.Set} {change.Kept[0]} -exist\n");
        }
    }

    private void WriteHeader(TextWriter output, RuleSet before, RuleSet after, bool unchanged)
    {
        NetfilterText.WriteHeader(output, $"{options.Name}: incremental update of the Datadog ipset sets (hash:net), for iptables and ip6tables rules to match.", after,
        [
            $"Previous: {before.Provenance.DocumentVersion ?? "rules without a document version"}.",
            "Apply with: ipset restore < FILE   (the sets must hold what the full ipset output of the previous version loaded, same options)",
            "ipset restore is not a transaction, so the first lines change nothing and fail if a set is missing or not of the",
            "type, maxelem and family the full output created (swap with itself, create -exist, add -exist of a prefix both",
            $"versions list), or if {IpsetVersionMark.Name(options)} holds neither the previous version nor this one: then ipset stops",
            "there and nothing has changed. Then each set that changes is filled whole under its temporary name and swapped",
            "in, atomically per set, and the version mark moved last: applied again, it succeeds and changes nothing. If it",
            "fails, apply the full output (fwrules generate --format ipset).",
        ]);
        if (unchanged)
        {
            NetfilterText.WriteComment(output, "Nothing to change: both versions list the same prefixes.");
        }
    }
}
