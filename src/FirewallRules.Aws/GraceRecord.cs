using System.Globalization;
using System.Net;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using FirewallRules.Rules;
using RuleAction = FirewallRules.Rules.RuleAction;

namespace FirewallRules.Aws;

/// <summary>
/// The keep period's record shared by every runner of a name: kept in the account, as tags on each family's first list,
/// so that two machines syncing one account keep the same prefixes for the same time instead of one removing what the
/// other re-adds.
/// </summary>
/// <remarks>
/// <para>Tags: <c>fwrules:seen</c> holds when the lists' entries were last seen published (Unix seconds: the last run
/// that wrote them) and the record's seal (<see cref="GraceRecordSeal"/>: a record with a tag removed or edited counts as
/// expired), and <c>fwrules:grace-1</c> to <c>fwrules:grace-40</c> hold the prefixes no longer published but kept, each with
/// when it was last seen. A value is at most 256 characters (AWS's limit) of tokens separated by spaces:
/// <c>=SECTION</c> names the section of the prefixes after it, <c>@SECONDS</c> their last-seen time, any other token is a
/// prefix; every value starts with both, so each stands alone
/// (<c>=logs @1764072000 20.0.0.2/32 20.0.0.4/32 @1764075600 2600:1f18::/48</c>).
/// 40 tags leave room for fwrules' other six, the seen tag and the lists tag (<see cref="PrefixListVouch"/>) within AWS's 50 per resource. A prefix kept by several
/// sections is recorded once, under the section that saw it last (the lists hold the union of the sections, so it stays
/// in them as long as that section keeps it). When the kept prefixes need more, a run removes the oldest from the lists before
/// its change (<see cref="Overflow"/>), so the record never leaves out a kept prefix the lists hold.</para>
/// <para>A runner reads the record before it decides what to keep, takes for each prefix the later of its own time and
/// the record's (a prefix no list of the record's family holds is left out: the record never widens what the lists admit),
/// and writes the record back after its change. A prefix in the lists that neither the document nor the
/// record holds, in a list the record names, was published by the document the last run applied when the lists hold the entries the record
/// was written with (<see cref="GraceRecordSeal.Vouches"/>); when they do not (a run killed before its record, or an entry added by hand),
/// only such an entry a vetted document of the cache published is, and the run removes any other: it was last seen at
/// <c>fwrules:seen</c>, by the sections a record knows to have published it, or, when none is known, by no section
/// (<see cref="Unclaimed"/>, written <c>=?</c>) until a runner that knows a section published it claims it for that section:
/// one section's grace never keeps another's prefixes.</para>
/// </remarks>
internal static class GraceRecord
{
    /// <summary>The most tags the record takes on one list.</summary>
    public const int MaxTags = 40;

    /// <summary>AWS's longest tag value.</summary>
    public const int MaxValue = 256;

    /// <summary>AWS's most tags on one resource.</summary>
    private const int AwsMaxTags = 50;

    /// <summary>
    /// The key, beside the sections, of the kept prefixes no section is known to have published (never a section's name: those
    /// hold no <c>?</c>). They claim no section's grace: each stays for the keep period from when the lists last had them seen.
    /// </summary>
    public const string Unclaimed = "?";

    /// <summary>
    /// <paramref name="lastSeen"/> (each runner's own record, per section) with the account's record merged in: the later
    /// time of each prefix. A prefix in <paramref name="lists"/> that the record does not name and <paramref name="published"/>
    /// does not cover (a run was killed between the lists' change and the record's write) was last seen at <c>fwrules:seen</c>.
    /// Each unclaimed prefix (found so, or recorded so by either record) goes to the sections either record knows to have
    /// published it, at the later time; when neither knows one, it is kept under <see cref="Unclaimed"/>.
    /// </summary>
    /// <remarks>
    /// A record that is not whole (<see cref="GraceRecordSeal"/>: a tag removed or edited) gives nothing: what it kept counts as expired,
    /// and one line saying so goes to <paramref name="broken"/>. When the lists' entries are not those the record was written with, an entry
    /// neither published, nor kept by the record, nor published by a vetted document (<paramref name="vetted"/>) is not the last run's (an
    /// entry added by hand): it is not kept, and one line says so.
    /// </remarks>
    public static Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> Merge(
        IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, IReadOnlyList<OwnedPrefixList> lists, IReadOnlyList<string> sections, PrefixSet published,
        PrefixSet vetted, ICollection<string>? broken = null)
    {
        var merged = sections.Append(Unclaimed).Distinct(StringComparer.Ordinal)
            .ToDictionary(s => s, s => new Dictionary<IPNetwork, DateTimeOffset>(lastSeen.GetValueOrDefault(s) ?? []), StringComparer.Ordinal);
        foreach (IGrouping<AddressFamilies, OwnedPrefixList> family in lists.GroupBy(l => l.Family))
        {
            OwnedPrefixList first = PrefixListVouch.RecordHolder(family);
            (IReadOnlyDictionary<string, string> grace, DateTimeOffset? seen, string? why) = GraceRecordSeal.Read(first.Tags);
            if (why is not null)
            {
                broken?.Add($"the grace record on prefix list {first.Name} ({first.Id}) is missing or unreadable ({why}): what it kept counts as expired, " +
                    "kept only while this machine's own state keeps it; the run writes it anew");
                continue;
            }

            PrefixSet held = PrefixSet.Create(family.SelectMany(l => l.Entries));
            var recorded = new List<IPNetwork>();
            // A prefix no list of the family holds is not kept: a record written by hand cannot widen what the account admits.
            foreach ((string section, IPNetwork prefix, DateTimeOffset at) in Decode(grace).Where(r => held.Contains(r.Prefix)))
            {
                recorded.Add(prefix);
                if (merged.TryGetValue(section, out Dictionary<IPNetwork, DateTimeOffset>? times))
                {
                    Later(times, prefix, seen is { } written && at > written ? written : at);
                }
            }

            if (seen is { } lastRun)
            {
                // What the lists the record names hold beyond the published and recorded prefixes (an entry may join several: 20.0.0.0/31
                // for two recorded /32s). A list it does not name vouches for nothing: tagging a list is not publishing its entries.
                PrefixSet vouched = PrefixSet.Create(family.Where(l => PrefixListVouch.Named(first, l)).SelectMany(l => l.Entries));
                PrefixSet beyond = vouched.Except(published.Union(PrefixSet.Create(recorded)));
                PrefixSet lastRuns = first.Recorded is { } atRecord ? vetted.Union(atRecord) : vetted; // what the record's versions held, too
                foreach (IPNetwork piece in GraceRecordSeal.Vouches(first.Tags, vouched) ? beyond : Vetted(beyond, lastRuns, first, broken))
                {
                    Later(merged[Unclaimed], piece, lastRun);
                }
            }
        }

        Claim(merged);

        // An unclaimed prefix published again is a section's: it needs no grace of its own.
        Dictionary<IPNetwork, DateTimeOffset> unclaimed = merged[Unclaimed];
        foreach (IPNetwork prefix in unclaimed.Keys.Where(p => PrefixSet.Create([p]).Except(published).Count == 0).ToList())
        {
            unclaimed.Remove(prefix);
        }

        if (unclaimed.Count == 0)
        {
            merged.Remove(Unclaimed);
        }

        return merged;
    }

    /// <summary>
    /// The pieces of <paramref name="pieces"/> a vetted document published: the lists changed since the record was written (or it is older
    /// than the seal of their entries), and the last run wrote only what a vetted document published, so any other entry was added by
    /// hand, and the run removes it; one line names the first.
    /// </summary>
    private static PrefixSet Vetted(PrefixSet pieces, PrefixSet vetted, OwnedPrefixList first, ICollection<string>? said)
    {
        IPNetwork[] gone = [.. pieces.Where(p => PrefixSet.Create([p]).Except(vetted).Count > 0)];
        if (gone.Length > 0)
        {
            string more = gone.Length > 1 ? $" and {gone.Length - 1} more" : string.Empty;
            said?.Add($"the prefix lists of {first.Name} ({first.Id}) hold {gone[0]}{more} that no vetted document in the cache published for the sections synced and the " +
                "grace record does not keep (added by hand?): not kept, the run removes them");
        }

        return pieces.Except(PrefixSet.Create(gone));
    }

    /// <summary>
    /// <paramref name="rules"/> with the kept prefixes no section is known to have published (<paramref name="unclaimed"/>) in each
    /// allow rule that holds prefixes of their family: a list holds every section's prefixes, so no port gains a family it did not
    /// allow. A family no allow rule holds goes to every allow rule.
    /// </summary>
    public static RuleSet WithUnclaimed(RuleSet rules, PrefixSet? unclaimed)
    {
        if (unclaimed is null || unclaimed.IsEmpty)
        {
            return rules;
        }

        FirewallRule[] allow = [.. rules.Rules.Where(r => r.Action == RuleAction.Allow)];
        bool v4 = allow.Any(r => r.Prefixes.IPv4.Count > 0), v6 = allow.Any(r => r.Prefixes.IPv6.Count > 0);
        return RuleSet.Create(rules.Rules.Select(r => r.Action != RuleAction.Allow ? r : new FirewallRule(r.Direction, r.Action, r.Port,
            r.Prefixes.Union(r.Prefixes.IPv4.Count > 0 || !v4 ? unclaimed.IPv4 : PrefixSet.Empty).Union(r.Prefixes.IPv6.Count > 0 || !v6 ? unclaimed.IPv6 : PrefixSet.Empty),
            r.Sources, r.ClosesPort)), rules.Provenance);
    }

    /// <summary>
    /// Gives each unclaimed prefix of <paramref name="merged"/> to the sections whose records hold a prefix overlapping it, at
    /// the later of its times: a section known to have published a prefix claims it before <see cref="Unclaimed"/> does (a
    /// runner that never saw it go recorded it unclaimed), and a section that never published it does not keep it.
    /// </summary>
    private static void Claim(Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged)
    {
        Dictionary<IPNetwork, DateTimeOffset> unclaimed = merged[Unclaimed];
        Dictionary<string, PrefixSet> known = merged.Where(m => m.Key != Unclaimed).ToDictionary(m => m.Key, m => PrefixSet.Create(m.Value.Keys), StringComparer.Ordinal);
        foreach ((IPNetwork prefix, DateTimeOffset at) in unclaimed.ToList())
        {
            PrefixSet one = PrefixSet.Create([prefix]);
            string[] owners = [.. known.Where(k => !k.Value.Intersect(one).IsEmpty).Select(k => k.Key)];
            foreach (string owner in owners)
            {
                Later(merged[owner], prefix, at);
            }

            if (owners.Length > 0)
            {
                unclaimed.Remove(prefix);
            }
        }
    }

    /// <summary>
    /// Writes the record on each family's first list of <paramref name="lists"/>: the prefixes of <paramref name="lastSeen"/>
    /// seen before <paramref name="now"/> (kept, not published), and <paramref name="now"/> as the time the entries were seen, sealed with
    /// the sync's name <paramref name="name"/> (<see cref="GraceRecordSeal.Seen"/>).
    /// </summary>
    /// <returns>The kept prefixes that did not fit the record (the oldest), each once.</returns>
    public static async Task<IReadOnlyList<IPNetwork>> WriteAsync(
        IAmazonEC2 ec2, string name, IReadOnlyList<AwsPrefixListChange> lists, IReadOnlyList<OwnedPrefixList> read,
        IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var left = new List<IPNetwork>();
        foreach (AwsPrefixListChange first in lists.Where(l => l.Action != AwsListAction.Deleted && l.Id is not null && IsFirst(l)))
        {
            bool v6 = first.Family == AddressFamilies.IPv6;
            List<(string Section, IPNetwork Prefix, DateTimeOffset At)> kept = Kept(lastSeen, now, v6);
            IReadOnlyDictionary<string, string> had = read.FirstOrDefault(l => l.Id == first.Id)?.Tags ?? new Dictionary<string, string>();
            (List<string> values, List<IPNetwork> dropped) = Encode(kept, Room(had));
            left.AddRange(dropped);
            string ids = Ids(lists.Where(l => l.Family == first.Family && l.Action != AwsListAction.Deleted && l.Id is not null).Select(l => l.Id!));
            HashSet<string> named = [.. ids.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            PrefixSet entries = PrefixSet.Create(read.Where(l => named.Contains(l.Id)).SelectMany(l => l.Entries));
            List<Tag> tags =
                [new(AwsTags.Seen, GraceRecordSeal.Seen(now, values, ids, entries, name)), new(AwsTags.Lists, ids), new(AwsTags.Held, HeldAt(named, read)),
                    .. values.Select((v, i) => new Tag(GraceRecordSeal.Key(i + 1), v))];
            await AwsCall.ChangeAsync($"tag prefix list {first.Id} with its grace record",
                token => ec2.CreateTagsAsync(new() { Resources = [first.Id!], Tags = tags }, token), cancellationToken).ConfigureAwait(false);
            List<Tag> stale = [.. had.Keys.Where(k => k.StartsWith(AwsTags.GracePrefix, StringComparison.Ordinal) && tags.All(t => t.Key != k)).Select(k => new Tag { Key = k })];
            if (stale.Count > 0)
            {
                await AwsCall.ChangeAsync($"untag prefix list {first.Id}",
                    token => ec2.DeleteTagsAsync(new() { Resources = [first.Id!], Tags = stale }, token), cancellationToken).ConfigureAwait(false);
            }
        }

        return left;
    }

    /// <summary>
    /// What the record written after a change names, once the lists are read again just before (<paramref name="lists"/>): the prefixes of
    /// <paramref name="lastSeen"/> the lists still hold, and those the lists' own record names that they hold (another runner's record),
    /// each at the later time. Two runners at once write the record one after the other, whole: each names what the lists hold when it
    /// writes, never a prefix the other has removed since this run read them, nor leaves out one the other added and recorded.
    /// </summary>
    /// <remarks>
    /// Only a whole record counts (<see cref="GraceRecordSeal"/>), and none of its times past its own seen time or <paramref name="now"/>:
    /// a grace tag someone added or edited (a time years ahead) would otherwise make the prefix look published now, leave it out of the
    /// record while the lists keep it, and have the next runner keep it a whole period more from this run.
    /// </remarks>
    public static Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> Held(
        IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, IReadOnlyList<OwnedPrefixList> lists, DateTimeOffset now)
    {
        PrefixSet held = PrefixSet.Create(lists.SelectMany(l => l.Entries));
        bool Holds(IPNetwork prefix) => PrefixSet.Create([prefix]).Except(held).IsEmpty;
        var record = lastSeen.ToDictionary(s => s.Key, s => s.Value.Where(e => Holds(e.Key)).ToDictionary(), StringComparer.Ordinal);
        foreach (OwnedPrefixList first in lists.GroupBy(l => l.Family).Select(PrefixListVouch.RecordHolder))
        {
            (IReadOnlyDictionary<string, string> grace, DateTimeOffset? seen, string? broken) = GraceRecordSeal.Read(first.Tags);
            if (broken is not null)
            {
                continue;
            }

            foreach ((string section, IPNetwork prefix, DateTimeOffset at) in Decode(grace).Where(r => Holds(r.Prefix)))
            {
                if (record.TryGetValue(section, out Dictionary<IPNetwork, DateTimeOffset>? times))
                {
                    Later(times, prefix, Vouched(at, seen, now));
                }
            }
        }

        return record;
    }

    /// <summary>A record's time for a prefix, never past the record's own seen time (fwrules records none later) nor <paramref name="now"/>.</summary>
    private static DateTimeOffset Vouched(DateTimeOffset at, DateTimeOffset? seen, DateTimeOffset now)
    {
        DateTimeOffset bound = seen is { } s && s < now ? s : now;
        return at > bound ? bound : at;
    }

    /// <summary>
    /// The kept prefixes of <paramref name="lastSeen"/> that the record on the lists <paramref name="read"/> cannot hold: the oldest,
    /// of each family of <paramref name="families"/> whose kept prefixes outgrow its tags. A run removes them before its change, so
    /// the record names every kept prefix the lists hold (a prefix in the lists and not in the record is then surely one the last
    /// run published, last seen at <c>fwrules:seen</c>): admitting less for less time, never keeping one past the keep period.
    /// </summary>
    public static IReadOnlyList<IPNetwork> Overflow(
        IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, IReadOnlyList<OwnedPrefixList> read, AddressFamilies families, DateTimeOffset now) =>
        [.. new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 }.Where(f => families.HasFlag(f)).SelectMany(family => Encode(Kept(lastSeen, now, family == AddressFamilies.IPv6),
            Room(read.Where(l => l.Family == family).OrderBy(l => l.Part).FirstOrDefault()?.Tags ?? new Dictionary<string, string>())).Dropped)];

    /// <summary>
    /// The value of <c>fwrules:held</c>: each list of <paramref name="named"/> at its version in <paramref name="read"/>; empty when one is
    /// not there or the value would be too long.
    /// </summary>
    private static string HeldAt(HashSet<string> named, IReadOnlyList<OwnedPrefixList> read)
    {
        string[] held = [.. read.Where(l => named.Contains(l.Id))
            .Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Id}@{l.Version}")).Order(StringComparer.Ordinal)];
        string value = string.Join(' ', held);
        return held.Length == named.Count && value.Length <= MaxValue ? value : string.Empty;
    }

    /// <summary>
    /// How many tags the record may take on a first list that carries <paramref name="tags"/>: at most <see cref="MaxTags"/>, within
    /// AWS's limit beside the list's other tags, the seen tag, the lists tag and the held tag.
    /// </summary>
    private static int Room(IReadOnlyDictionary<string, string> tags) =>
        Math.Max(0, Math.Min(MaxTags,
            AwsMaxTags - 3 - tags.Keys.Count(k => !k.StartsWith(AwsTags.GracePrefix, StringComparison.Ordinal) && k != AwsTags.Seen && k != AwsTags.Lists && k != AwsTags.Held)));

    /// <summary>
    /// The value of <c>fwrules:lists</c> for <paramref name="ids"/>: as many as AWS's longest value holds (a list left out is taken only as
    /// one of an older build is, <see cref="PrefixListVouch"/>).
    /// </summary>
    private static string Ids(IEnumerable<string> ids)
    {
        var value = new StringBuilder();
        foreach (string id in ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Where(id => id.Length < MaxValue))
        {
            if (value.Length + 1 + id.Length > MaxValue)
            {
                break;
            }

            value.Append(value.Length > 0 ? " " : string.Empty).Append(id);
        }

        return value.ToString();
    }

    /// <summary>
    /// The prefixes of a family the record names: once per prefix, under the section that saw it last (the first by name when
    /// several did at once), and none a section publishes now (seen at <paramref name="now"/>: the seen tag covers it).
    /// </summary>
    public static List<(string Section, IPNetwork Prefix, DateTimeOffset At)> Kept(
        IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, DateTimeOffset now, bool v6) =>
        [.. lastSeen.SelectMany(s => s.Value.Where(e => (e.Key.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == v6)
                .Select(e => (Section: s.Key, Prefix: e.Key, At: e.Value)))
            .GroupBy(k => k.Prefix)
            .Select(g => g.OrderByDescending(k => k.At).ThenBy(k => k.Section, StringComparer.Ordinal).First())
            .Where(k => k.At < now)];

    /// <summary>The record's values: the latest first, so what does not fit is the oldest; and the prefixes that did not fit.</summary>
    public static (List<string> Values, List<IPNetwork> Dropped) Encode(IEnumerable<(string Section, IPNetwork Prefix, DateTimeOffset At)> kept, int tags)
    {
        var values = new List<string>();
        var value = new StringBuilder();
        string? section = null;
        long? at = null;
        var dropped = new List<IPNetwork>();
        foreach ((string s, IPNetwork prefix, DateTimeOffset time) in
            kept.OrderByDescending(k => k.At).ThenBy(k => k.Section, StringComparer.Ordinal).ThenBy(k => k.Prefix.ToString(), StringComparer.Ordinal))
        {
            long seconds = time.ToUnixTimeSeconds();
            string token = (s == section && seconds == at && value.Length > 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"={s} @{seconds} ")) + prefix;
            if (value.Length > 0 && value.Length + 1 + token.Length > MaxValue)
            {
                values.Add(value.ToString());
                value.Clear();
                token = string.Create(CultureInfo.InvariantCulture, $"={s} @{seconds} {prefix}");
            }

            if (values.Count == tags)
            {
                dropped.Add(prefix);
                continue;
            }

            value.Append(value.Length > 0 ? " " : string.Empty).Append(token);
            (section, at) = (s, seconds);
        }

        if (value.Length > 0 && values.Count < tags)
        {
            values.Add(value.ToString());
        }

        return (values, dropped);
    }

    /// <summary>The record in <paramref name="tags"/>; a token that does not read is skipped (a hand edit cannot stop a run).</summary>
    public static IEnumerable<(string Section, IPNetwork Prefix, DateTimeOffset At)> Decode(IReadOnlyDictionary<string, string> tags)
    {
        foreach (string value in tags.Where(t => t.Key.StartsWith(AwsTags.GracePrefix, StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Value))
        {
            string? section = null;
            DateTimeOffset? at = null;
            foreach (string token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (token[0] == '=')
                {
                    section = token[1..];
                }
                else if (token[0] == '@' && Time(token.AsSpan(1)) is { } time)
                {
                    at = time;
                }
                else if (section is not null && at is { } seen && IPNetwork.TryParse(token, out IPNetwork prefix))
                {
                    yield return (section, prefix, seen);
                }
            }
        }
    }

    /// <summary>
    /// The time <paramref name="seconds"/> names (Unix seconds, digits only, up to the last second <see cref="DateTimeOffset"/>
    /// holds); null when it does not read, or names a time past that: a hand edit cannot stop a run.
    /// </summary>
    public static DateTimeOffset? Time(ReadOnlySpan<char> seconds) =>
        long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value <= LatestSeconds ? DateTimeOffset.FromUnixTimeSeconds(value) : null;

    /// <summary><see cref="DateTimeOffset.MaxValue"/> in Unix seconds: the latest time a record can name.</summary>
    private const long LatestSeconds = 253402300799;

    private static bool IsFirst(AwsPrefixListChange list) => list.Name.EndsWith("-" + list.Family.Keyword(), StringComparison.Ordinal);

    private static void Later(Dictionary<IPNetwork, DateTimeOffset> times, IPNetwork prefix, DateTimeOffset at)
    {
        if (!times.TryGetValue(prefix, out DateTimeOffset had) || had < at)
        {
            times[prefix] = at;
        }
    }
}
