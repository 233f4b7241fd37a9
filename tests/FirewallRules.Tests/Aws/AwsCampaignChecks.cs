using System.Globalization;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The account campaign's checks, list by list, against the lane's model: what a run that succeeded must leave (each family's
/// lists hold exactly the published prefixes and those in grace, each list within its size, the grace record on the first list
/// naming exactly the kept prefixes with times the model allows, the group referencing exactly the lists), what a faulted run
/// may leave (each list its old entries or its new ones; after kill -9 the documented mixture), that a stopped run's line
/// says what the account holds, and that the list a stop caught in flight is put back. Each violation names the seed, the run
/// and the lane. Addresses are compared in the proofs' own <see cref="AddressSet"/>, never the library's prefix set.
/// </summary>
internal sealed partial class AwsCampaignChecks(List<string> violations)
{
    /// <summary>A hand edit the campaign made (the next run removes it).</summary>
    public static bool HandEdit(string prefix) => prefix.StartsWith("192.0.2.", StringComparison.Ordinal);

    /// <summary>Where a violation was seen: seed, run, lane, moment; set before each check.</summary>
    public string Where { get; set; } = string.Empty;

    private void Fail(string what) => violations.Add($"{Where}: {what}");

    /// <summary>After a run that succeeded between <paramref name="start"/> and <paramref name="end"/>: the lane holds exactly its model.</summary>
    public void Exact(AwsCampaignLane lane, CampaignSnapshot account, DateTimeOffset start, DateTimeOffset end)
    {
        IReadOnlyList<CampaignList> lists = account.Of(lane.Name);
        (AddressSet must, AddressSet may) = lane.Kept(start, end);
        foreach (bool v6 in (bool[])[false, true])
        {
            List<CampaignList> family = [.. lists.Where(l => l.IPv6 == v6)];
            AddressSet published = lane.Published.Family(v6);
            AddressSet held = Union(family);
            CampaignList? first = family.FirstOrDefault(l => l.Name == $"{lane.Name}-{Family(v6)}");
            AddressSet floor = published.Union(must.Family(v6).Except(CutOldest(lane, first, held, must.Family(v6))));
            if (floor.Except(held) is { IsEmpty: false } missing)
            {
                Fail($"{Family(v6)}: {missing.Blocks().Count()} prefixes published or surely in grace are missing, e.g. {missing.Blocks().First()} " +
                    $"({(published.Covers(missing.Blocks().First()) ? "published" : "in grace")})");
            }

            if (held.Except(floor.Union(may.Family(v6))) is { IsEmpty: false } extra)
            {
                Fail($"{Family(v6)}: {extra.Blocks().Count()} prefixes neither published nor in grace are held, e.g. {extra.Blocks().First()}");
            }

            Shape(lane, family, v6);
            Record(lane, first, held, held.Except(published), (start, end));
        }

        if (lane.Group is { } group)
        {
            References(lane, account, lists, group);
        }
    }

    /// <summary>Each list of a family: its own part's name, within its size and the lane's, the lane's tags, no entry in another list too.</summary>
    private void Shape(AwsCampaignLane lane, List<CampaignList> family, bool v6)
    {
        var names = family.Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
        var wanted = Enumerable.Range(1, family.Count).Select(i => $"{lane.Name}-{Family(v6)}{(i == 1 ? string.Empty : "-" + i.ToString(CultureInfo.InvariantCulture))}")
            .Order(StringComparer.Ordinal).ToList();
        if (!names.SequenceEqual(wanted))
        {
            Fail($"{Family(v6)}: lists named {string.Join(',', names)}, not {string.Join(',', wanted)}");
        }

        foreach (CampaignList list in family)
        {
            if (list.Written.Count > list.MaxEntries || list.MaxEntries > lane.MaxEntries)
            {
                Fail($"{list.Name} ({list.Id}) holds {list.Written.Count} entries, sized {list.MaxEntries}, lane's most {lane.MaxEntries}");
            }

            if (list.Tag("fwrules:format") != lane.Format || list.Tag("fwrules:family") != Family(v6))
            {
                Fail($"{list.Name} ({list.Id}) is tagged format {list.Tag("fwrules:format")}, family {list.Tag("fwrules:family")}");
            }

            if (family.FirstOrDefault(o => o.Id != list.Id && !o.Entries.Intersect(list.Entries).IsEmpty) is { } other)
            {
                Fail($"{list.Name} and {other.Name} both hold {other.Entries.Intersect(list.Entries).Blocks().First()}");
            }
        }
    }

    /// <summary>
    /// The prefixes in grace that <paramref name="must"/> holds and the lists do not, which the run may have cut because the record
    /// could not name them: only while the record is full (all 40 tags), and only the oldest (none surely seen after a prefix the record
    /// names). The model then no longer requires them (<see cref="AwsCampaignLane.CutEarly"/>); any other missing prefix is a violation.
    /// </summary>
    private static AddressSet CutOldest(AwsCampaignLane lane, CampaignList? first, AddressSet held, AddressSet must)
    {
        string[] missing = [.. lane.Seen.Keys.Where(p => must.Covers(p) && !held.Covers(p))];
        if (missing.Length == 0 || first is null || first.Tags.Keys.Count(k => k.StartsWith("fwrules:grace-", StringComparison.Ordinal)) < FirewallRules.Aws.GraceRecord.MaxTags)
        {
            return AddressSet.Empty;
        }

        DateTimeOffset newest = Decode(first.Tags).Keys.Where(lane.Seen.ContainsKey).Select(r => lane.Seen[r].Hi.AddSeconds(1)).DefaultIfEmpty(DateTimeOffset.MinValue).Min();
        string[] oldest = [.. missing.Where(m => lane.Seen[m].Lo <= newest)];
        lane.CutEarly.UnionWith(oldest);
        return AddressSet.Of(oldest);
    }

    /// <summary>
    /// The grace record on the family's first list names exactly the kept prefixes, each with a time the model allows, and its seen
    /// tag is this run's.
    /// </summary>
    /// <remarks>
    /// An entry a run finds in the lists and not in the record (a run killed before writing it) goes only to the sections known
    /// to have published it, else to none: the record never names a published prefix, so a time in it is never older than the seen tag's.
    /// </remarks>
    private void Record(AwsCampaignLane lane, CampaignList? first, AddressSet held, AddressSet kept, (DateTimeOffset Start, DateTimeOffset End) run)
    {
        (DateTimeOffset start, DateTimeOffset end) = run;
        if (first is null)
        {
            return;
        }

        Dictionary<string, DateTimeOffset> record = Decode(first.Tags);
        AddressSet recorded = AddressSet.Of(record.Keys);
        if (!recorded.Equals(kept))
        {
            Fail($"the grace record on {first.Name} holds {recorded.Blocks().Count()} prefixes, the lists keep {kept.Blocks().Count()} in grace " +
                $"(recorded, not kept: {recorded.Except(kept).Blocks().FirstOrDefault()} of {recorded.Except(kept).Blocks().Count()}; kept, not recorded: " +
                $"{kept.Except(recorded).Blocks().Count()}; published, recorded: {recorded.Intersect(held.Except(kept)).Blocks().Count()})");
        }

        foreach ((string prefix, DateTimeOffset at) in record)
        {
            if (lane.Seen.TryGetValue(prefix, out var seen) && (at < seen.Lo.AddSeconds(-2) || at > seen.Hi.AddSeconds(1)))
            {
                Fail($"the grace record on {first.Name} says {prefix} was last seen at {at:HH:mm:ss}, the model {seen.Lo:HH:mm:ss.f} to {seen.Hi:HH:mm:ss.f}");
            }
        }

        if (!long.TryParse(first.Tag("fwrules:seen")?.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long s)
            || DateTimeOffset.FromUnixTimeSeconds(s) is var time && (time < start.AddSeconds(-2) || time > end.AddSeconds(1)))
        {
            Fail($"{first.Name}'s fwrules:seen is {first.Tag("fwrules:seen")}, not a time of this run ({start:HH:mm:ss} to {end:HH:mm:ss})");
        }
    }

    /// <summary>The group's owned references: exactly each list of a family on each port whose rules hold that family.</summary>
    private void References(AwsCampaignLane lane, CampaignSnapshot account, IReadOnlyList<CampaignList> lists, string group)
    {
        HashSet<string> wanted = [.. lane.Ports.SelectMany(p => lists.Where(l => p.Value.Contains(l.IPv6))
            .Select(l => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {l.Id}")))];
        HashSet<string> owned = [.. account.Groups[group].Owned.Where(r => !r.StartsWith("in ", StringComparison.Ordinal))];
        if (!owned.SetEquals(wanted))
        {
            Fail($"group {group} holds {owned.Count} owned rules, not the {wanted.Count} references wanted " +
                $"(extra {owned.Except(wanted).FirstOrDefault()}, missing {wanted.Except(owned).FirstOrDefault()})");
        }
    }

    /// <summary>
    /// After a faulted run (<paramref name="during"/>), against the account before it and after the next clean run: each list holds its
    /// old entries or its new ones, or after kill -9 its old ones plus some new minus some removed (never losing one both hold); a
    /// prefix whose grace may have run out between the two runs is left out of the comparison.
    /// </summary>
    /// <remarks>
    /// Once a grace has run out the clean run may pack a family into fewer lists, moving entries from the last lists into the first:
    /// against the list after the clean run, an entry another list held after the faulted run (or holds after the clean run) is left
    /// out. It may also fill the room a list's expired entries leave with entries the faulted run never placed (a stop kept it from
    /// the later lists): the list after the clean run may hold, beside the faulted run's, as many entries no list held as the list
    /// held prefixes whose grace may have run out. A split list the faulted run created, and the clean run deleted, has neither old nor new entries: it is allowed when its
    /// entries are ones the lane's lists held before or hold after (a run that failed or was stopped once the list was made leaves it
    /// whole; one that failed or was stopped while it was made deletes it, and <see cref="StopLine"/> holds a stopped run to whole
    /// lists), and after two runners at once.
    /// </remarks>
    public void OldOrNew(AwsCampaignLane lane, CampaignSnapshot before, CampaignSnapshot during, CampaignSnapshot after, string fault, AddressSet unsure)
    {
        (bool killed, bool two) = (fault == "kill", fault == "two");
        IReadOnlyList<CampaignList> old = before.Of(lane.Name), now = during.Of(lane.Name), next = after.Of(lane.Name);
        foreach (string id in old.Concat(now).Concat(next).Select(l => l.Id).Distinct())
        {
            AddressSet moved = unsure.Union(Moved(now, next, id));
            AddressSet? b = Entries(old, id, unsure), f = Entries(now, id, unsure), a = Entries(next, id, moved), fa = Entries(now, id, moved);
            CampaignList list = old.Concat(now).Concat(next).First(l => l.Id == id);
            string name = list.Name;
            int room = now.FirstOrDefault(l => l.Id == id)?.Entries.Intersect(unsure).Blocks().Count() ?? 0;
            bool same = f is null ? b is null || a is null
                : (b is not null && f.Equals(b)) || (a is not null && fa!.Except(a).IsEmpty && a.Except(fa).Blocks().Count() <= room);
            if (same || (f is not null && b is null && a is null && (two || f.Except(Held(old, next, list.IPv6)).IsEmpty)))
            {
                // Two runners at once, or a split list the faulted run made whose entries the lane's lists held before or hold after
                // (the clean run packs them into fewer lists once a grace has run out).
                continue;
            }

            AddressSet low = (b ?? AddressSet.Empty).Intersect(a ?? AddressSet.Empty), high = (b ?? AddressSet.Empty).Union(a ?? AddressSet.Empty);
            if (!killed || (fa is not null && (!low.Except(fa).IsEmpty || !fa.Except(high).IsEmpty)))
            {
                Fail($"{name} ({id}) holds {Count(f)} entries: neither its old {Count(b)} nor its new {Count(a)}" +
                    (killed ? $" nor a mixture (lost {(fa is null ? low : low.Except(fa)).Blocks().FirstOrDefault()}, " +
                        $"added {fa?.Except(high).Blocks().FirstOrDefault()})" : string.Empty));
            }
        }
    }

    /// <summary>
    /// After a stop while a change of the entries of list <paramref name="id"/> was in flight (the inflight fault): the run awaited
    /// its answer, then put the list back, so it holds its entries from before the run; a list this run created is deleted.
    /// </summary>
    public void PutBack(CampaignSnapshot before, CampaignSnapshot during, string? id)
    {
        if (id is null)
        {
            return;
        }

        CampaignList? was = before.ById(id), now = during.ById(id);
        if (was is null ? now is not null : now is null || !now.Entries.Equals(was.Entries))
        {
            Fail($"{(now ?? was)!.Name} ({id}), whose change a stop caught in flight, holds {Count(now?.Entries)} entries, not its {Count(was?.Entries)} " +
                "from before the run: it was not put back");
        }
    }

    /// <summary>With groups: every prefix the document before and after both publish is allowed on each port, through a list the group references.</summary>
    public void Allows(AwsCampaignLane lane, CampaignSnapshot during, AddressSet both)
    {
        if (lane.Group is not { } group)
        {
            return;
        }

        IReadOnlyList<CampaignList> lists = during.Of(lane.Name);
        HashSet<string> owned = during.Groups[group].Owned;
        foreach ((int port, HashSet<bool> families) in lane.Ports)
        {
            if (both.Blocks().FirstOrDefault(p => families.Contains(p.Contains(':', StringComparison.Ordinal))
                && !lists.Any(l => l.Entries.Covers(p) && owned.Contains(string.Create(CultureInfo.InvariantCulture, $"{port} {l.Id}")))) is { } cut)
            {
                Fail($"group {group} does not allow {cut} on {port} (published before and after)");
            }
        }
    }

    /// <summary>
    /// A stopped run's line says what the lists hold, read again: each version it names is the list's, each deletion is; and no list
    /// holds part of a change (no call fails in a stop's run: each list is put back or holds its new entries whole).
    /// </summary>
    public void StopLine(AwsCampaignLane lane, string line, CampaignSnapshot before, CampaignSnapshot during)
    {
        if (!line.Contains("stopped by SIG", StringComparison.Ordinal) || line.Trim().Contains('\n', StringComparison.Ordinal))
        {
            Fail($"the stopped run's error is not one 'stopped by' line: {line.Trim()}");
        }

        if (Part().Match(line) is { Success: true } part)
        {
            Fail($"the stopped run left {part.Groups[1].Value} holding part of a change: {line.Trim()}");
        }

        foreach (Match claim in Holds().Matches(line))
        {
            long said = long.Parse(claim.Groups[2].Value, CultureInfo.InvariantCulture);
            if (during.ById(claim.Groups[1].Value) is not { } list || list.Version != said)
            {
                string holds = during.ById(claim.Groups[1].Value)?.Version.ToString(CultureInfo.InvariantCulture) ?? "none";
                Fail($"the line says {claim.Groups[1].Value} holds version {said}; it holds {holds}");
            }
        }

        if (line.Contains("no prefix list was changed", StringComparison.Ordinal)
            && during.Of(lane.Name).FirstOrDefault(l => before.ById(l.Id) is not { } was || was.Version != l.Version) is { } changed)
        {
            Fail($"the line says no prefix list was changed; {changed.Name} ({changed.Id}) is at version {changed.Version}, was {before.ById(changed.Id)?.Version}");
        }
    }

    /// <summary>The grace record's prefixes and times, read as the tags document it (tokens: =SECTION, @SECONDS, prefixes).</summary>
    private static Dictionary<string, DateTimeOffset> Decode(IReadOnlyDictionary<string, string> tags)
    {
        var record = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (string value in tags.Where(t => t.Key.StartsWith("fwrules:grace-", StringComparison.Ordinal)).Select(t => t.Value))
        {
            DateTimeOffset at = DateTimeOffset.MinValue;
            foreach (string token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t[0] != '='))
            {
                if (token[0] == '@')
                {
                    at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(token.AsSpan(1), CultureInfo.InvariantCulture));
                }
                else if (AddressSet.Of(token) is { } block && block.Blocks().Single() is var prefix && (!record.TryGetValue(prefix, out DateTimeOffset had) || had < at))
                {
                    record[prefix] = at;
                }
            }
        }

        return record;
    }

    private static AddressSet? Entries(IReadOnlyList<CampaignList> lists, string id, AddressSet unsure) =>
        lists.FirstOrDefault(l => l.Id == id) is { } list ? AddressSet.Of(list.Written.Where(e => !HandEdit(e))).Except(unsure) : null;

    /// <summary>
    /// The entries list <paramref name="id"/> holds in one of <paramref name="during"/> and <paramref name="after"/> that another list
    /// holds in the other: moved between lists (a repack), by the faulted run's plan or the clean run's.
    /// </summary>
    private static AddressSet Moved(IReadOnlyList<CampaignList> during, IReadOnlyList<CampaignList> after, string id)
    {
        AddressSet Own(IReadOnlyList<CampaignList> lists) => lists.FirstOrDefault(l => l.Id == id)?.Entries ?? AddressSet.Empty;
        AddressSet Others(IReadOnlyList<CampaignList> lists) => Union(lists.Where(l => l.Id != id));
        return Own(during).Intersect(Others(after)).Union(Own(after).Intersect(Others(during)));
    }

    /// <summary>The entries the lists of a family hold in either snapshot.</summary>
    private static AddressSet Held(IReadOnlyList<CampaignList> one, IReadOnlyList<CampaignList> other, bool v6) => Union(one.Concat(other).Where(l => l.IPv6 == v6));

    /// <summary>The addresses some of <paramref name="lists"/> hold.</summary>
    private static AddressSet Union(IEnumerable<CampaignList> lists) => lists.Aggregate(AddressSet.Empty, (all, list) => all.Union(list.Entries));

    private static string Count(AddressSet? entries) => entries is null ? "(no list)" : entries.Blocks().Count().ToString(CultureInfo.InvariantCulture);

    private static string Family(bool v6) => v6 ? "ipv6" : "ipv4";

    [GeneratedRegex(@"\((pl-[0-9a-f]+)\) holds version (\d+)")]
    private static partial Regex Holds();

    [GeneratedRegex(@"\((pl-[0-9a-f]+)\) holds version \d+, [^;:]*: part of the")]
    private static partial Regex Part();
}
