using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FirewallRules.Aws;

/// <summary>
/// What tells a whole grace record from one someone removed or edited: <c>fwrules:seen</c> names, after the time, how many grace
/// tags the run wrote and the start of the SHA-256 of the time and their values (<c>1764072000 2 9f86d081884c7d65 3a7bd3e2360a3d29</c>,
/// the last part <see cref="Vouches"/>'s), so a seen time moved later (which would keep every prefix the record names for longer) breaks it too. Anyone allowed to tag
/// the lists can delete a tag; a record that lost one, or whose values changed, or whose seen tag does not read, is no evidence:
/// nothing in it is kept, and the entries it would have vouched for count as expired (a prefix stays only while this runner's own
/// state keeps it). A seen tag holding a time alone (a build before records were sealed, or a record written again by hand without
/// its seal) is no evidence either.
/// </summary>
/// <remarks>
/// <para>The record also names the ids of the family's lists fwrules made (<c>fwrules:lists</c>, sealed with it: the value is the last
/// line the hash covers): a list tagged with the name but not named there is not taken for fwrules' own (<see cref="PrefixListVouch"/>).
/// A record without the tag was written by an older build, and names no list.</para>
/// <para>After the hash, the seen tag names the start of the SHA-256 of the entries the lists it names held when it was written
/// (<see cref="Vouches"/>): an entry added to them by hand since then is not the last run's. It is outside the hash: a record whose entries
/// changed still keeps what it records, and vouches for no entry beyond a vetted document's.</para>
/// <para>The seal catches a deletion or an edit, not a forger: no secret is in it, so a record rewritten whole with its seal reads as whole.</para>
/// </remarks>
internal static class GraceRecordSeal
{
    /// <summary>How many hexadecimal digits of the SHA-256 the seal keeps.</summary>
    private const int HashDigits = 16;

    /// <summary>
    /// The seen tag's value for a record of <paramref name="values"/> naming the lists <paramref name="lists"/> (the value of
    /// <c>fwrules:lists</c>) written at <paramref name="now"/>, when those lists hold <paramref name="entries"/>.
    /// </summary>
    /// <param name="now">The run's time.</param>
    /// <param name="values">The grace tags' values, in order.</param>
    /// <param name="lists">The value of <c>fwrules:lists</c>.</param>
    /// <param name="entries">What the lists <paramref name="lists"/> names hold.</param>
    /// <param name="name">The sync's name, the value of <c>fwrules:name</c> on the list: a record read under another name is not whole.</param>
    public static string Seen(DateTimeOffset now, IReadOnlyList<string> values, string lists, PrefixSet entries, string? name)
    {
        string time = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{time} {values.Count} {Hash([time, .. values, .. Listed(lists), .. Named(name)])} {Hash(Lines(entries))}");
    }

    /// <summary>
    /// Whether the whole record on <paramref name="tags"/> was written when the lists it names held <paramref name="entries"/>, so each entry
    /// is the last run's; false when an entry was added or removed since, or the record is older than this part of the seal.
    /// </summary>
    public static bool Vouches(IReadOnlyDictionary<string, string> tags, PrefixSet entries) =>
        Read(tags) is { Broken: null, Seen: not null } && tags[AwsTags.Seen].Split(' ') is [_, _, _, string held] && held == Hash(Lines(entries));

    /// <summary>
    /// The lists a whole record names, each at the version it had when the record was written (<c>fwrules:held</c>); null when the record
    /// is not whole, names no versions (an older build's), or names a list <c>fwrules:lists</c> does not. What those versions held, read back
    /// from AWS, is what the record's seal of entries covers (<see cref="Vouches"/>): the last run's entries, whatever changed since.
    /// </summary>
    public static IReadOnlyList<(string Id, long Version)>? HeldAt(IReadOnlyDictionary<string, string> tags)
    {
        if (Lists(tags) is not { } named || !tags.TryGetValue(AwsTags.Held, out string? held))
        {
            return null;
        }

        var versions = new List<(string Id, long Version)>();
        foreach (string word in held.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Split('@') is not [string id, string number] || !named.Contains(id)
                || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long version) || version < 1)
            {
                return null;
            }

            versions.Add((id, version));
        }

        return versions.Count == named.Count ? versions : null;
    }

    private static string[] Lines(PrefixSet entries) => [.. entries.Select(e => e.ToString())];

    /// <summary>The ids a whole record's <c>fwrules:lists</c> names; null when the record names none (none, or an older build's).</summary>
    public static IReadOnlySet<string>? Lists(IReadOnlyDictionary<string, string> tags) =>
        tags.TryGetValue(AwsTags.Seen, out string? seen) && seen.Contains(' ', StringComparison.Ordinal) && Read(tags) is { Broken: null, Seen: not null }
            && tags.TryGetValue(AwsTags.Lists, out string? lists)
            ? lists.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) : null;

    // The line the hash covers for the lists tag: none when the record has no such tag (an older build's seal still reads).
    private static string[] Listed(string? lists) => lists is null ? [] : [AwsTags.Lists + "=" + lists];

    // The line the hash covers for the name tag: a record edited to another name (which would hand its list to that name's sync) breaks.
    private static string[] Named(string? name) => name is null ? [] : [AwsTags.Name + "=" + name];

    /// <summary>
    /// The record on a list's tags: its grace tags and seen time when it reads as fwrules wrote it (the seen time null when there is
    /// no seen tag, or a time alone past what a date holds); else why not, in words, and nothing.
    /// </summary>
    public static (IReadOnlyDictionary<string, string> Grace, DateTimeOffset? Seen, string? Broken) Read(IReadOnlyDictionary<string, string> tags)
    {
        Dictionary<string, string> grace = tags.Where(t => t.Key.StartsWith(AwsTags.GracePrefix, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        if (!tags.TryGetValue(AwsTags.Seen, out string? seen))
        {
            return (grace, null, null);
        }

        string[] parts = seen.Split(' ');
        if (parts.Length == 1 && parts[0].Length > 0 && parts[0].All(char.IsAsciiDigit))
        {
            // The form of a build before records were sealed: anyone allowed to tag can write it with any times.
            return (new Dictionary<string, string>(), null, $"{AwsTags.Seen} holds a time alone, without the seal a record of this build carries");
        }

        if (parts.Length is not (3 or 4) || GraceRecord.Time(parts[0]) is not { } time
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count > GraceRecord.MaxTags)
        {
            return (new Dictionary<string, string>(), null, $"{AwsTags.Seen} does not read ({Shown(seen)})");
        }

        string[] keys = [.. Enumerable.Range(1, count).Select(Key)];
        if (keys.FirstOrDefault(k => !grace.ContainsKey(k)) is string missing)
        {
            return (new Dictionary<string, string>(), null, $"{AwsTags.Seen} names {count} grace tags, and {missing} is missing");
        }

        return Hash([parts[0], .. keys.Select(k => grace[k]), .. Listed(tags.GetValueOrDefault(AwsTags.Lists)), .. Named(tags.GetValueOrDefault(AwsTags.Name))]) == parts[2]
            ? (keys.ToDictionary(k => k, k => grace[k], StringComparer.Ordinal), time, null)
            : (new Dictionary<string, string>(), null,
                $"the time in {AwsTags.Seen}, the values of {AwsTags.GracePrefix}1 to {count}, {AwsTags.Lists} or {AwsTags.Name} are not those it was written with");
    }

    /// <summary>The key of grace tag <paramref name="number"/>, from 1.</summary>
    public static string Key(int number) => AwsTags.GracePrefix + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>The start of the SHA-256 of <paramref name="values"/>, one per line: the seals' hash (this record's and a group's, <see cref="GroupSeal"/>).</summary>
    internal static string Hash(IReadOnlyList<string> values) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', values))))[..HashDigits];

    // A tag value as a message quotes it: printable ASCII, at most 40 characters.
    private static string Shown(string value) =>
        value.Length <= 40 && value.All(c => c is >= ' ' and <= '~') ? value : "?";
}
