using System.Globalization;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// One name the account campaign syncs, drawn from the seed: its format (aws-sg with a group of its own, or aws-prefix-list),
/// sections, families, entries per list and keep period, its own mirror serving its own run of generated documents, and the
/// model of what it must hold: the prefixes its document publishes and, for each prefix it ever published, when it was last
/// seen published (an interval: the run's start and end, as the runner's clock and the record's whole seconds allow). The model reads the
/// documents' JSON and holds addresses in the proofs' own <see cref="AddressSet"/>, never the library's document, prefix set or rules.
/// </summary>
internal sealed class AwsCampaignLane
{
    /// <summary>The egress sections a lane may add beside logs (each publishes a few prefixes that never change).</summary>
    private static readonly string[] OtherSections = ["api", "apm", "process", "orchestrator"];

    private (int From, int To) _v4 = (0, 150);
    private (int From, int To) _v6 = (0, 40);
    private long _version = 9000;

    /// <summary>For each runner, the version its cache surely holds or a later one: the document served at its last run that exited 0, or at its cache's seeding.</summary>
    private readonly Dictionary<string, long> _surelyStored = [];

    /// <summary>The documents served since the oldest a runner's cache may still hold: each one's version and its logs windows' sizes.</summary>
    private readonly List<(long Version, int V4, int V6)> _cacheable = [];

    public required string Name { get; init; }

    public required string Format { get; init; }

    public required string[] Sections { get; init; }

    /// <summary>The --family value: ipv4, or both.</summary>
    public required string Family { get; init; }

    public required int MaxEntries { get; init; }

    public required TimeSpan Keep { get; init; }

    /// <summary>The most IPv4 prefixes the logs window holds (an aws-sg lane stays within its group's quota).</summary>
    public required int Widest { get; init; }

    public required IpRangesServer Mirror { get; init; }

    /// <summary>The lane's security group (aws-sg), else null.</summary>
    public string? Group { get; init; }

    /// <summary>The document served now.</summary>
    public string Document { get; private set; } = string.Empty;

    /// <summary>What the document served now publishes, of the lane's sections and families, read from its JSON.</summary>
    public AddressSet Published { get; private set; } = AddressSet.Empty;

    /// <summary>The prefixes the document served now publishes, of the lane's sections and families, as its JSON writes them.</summary>
    public IReadOnlyList<string> PublishedPrefixes { get; private set; } = [];

    /// <summary>The egress ports the lane's rules use, with the families each port's rules hold prefixes in.</summary>
    public Dictionary<int, HashSet<bool>> Ports { get; private set; } = [];

    /// <summary>For each prefix the lane ever published: the start and end of the last run that succeeded with it published.</summary>
    public Dictionary<string, (DateTimeOffset Lo, DateTimeOffset Hi)> Seen { get; } = [];

    /// <summary>
    /// The prefixes a run removed within their keep period because the grace record could not name them (the oldest, while it was
    /// full): no longer required, still allowed until their period ends (a runner whose own state still holds them may keep them).
    /// </summary>
    public HashSet<string> CutEarly { get; } = [];

    public bool IPv6 => Family == "both";

    /// <summary>
    /// Draws a lane: its format and family <paramref name="given"/> (the campaign makes sure each is played), the rest from <paramref name="random"/>.
    /// </summary>
    public static AwsCampaignLane Draw(Random random, int index, (string Format, string Family) given, TimeSpan keep, IpRangesServer mirror, string? group)
    {
        (string format, string family) = given;
        bool sg = format == "aws-sg";
        int extra = random.Next(0, 3);
        string[] sections = ["logs", .. OtherSections.OrderBy(_ => random.Next()).Take(extra)];
        int[] sizes = sg ? [100, 200] : [100, 300, 1000];
        return new AwsCampaignLane
        {
            Name = string.Create(CultureInfo.InvariantCulture, $"c{index}{Guid.NewGuid().ToString("N")[..8]}"),
            Format = format,
            Sections = sections,
            Family = family,
            MaxEntries = sizes[random.Next(sizes.Length)],
            Keep = keep,
            Widest = sg ? 200 : 420,
            Mirror = mirror,
            Group = group,
        };
    }

    /// <summary>
    /// The keep periods a lane may draw: none, a short one that runs out within the campaign, and one that outlasts it. An aws-sg
    /// lane (<paramref name="sg"/>) keeps a few seconds at most: every list is referenced on each port at its size, and what an hour
    /// keeps of a moving window outgrows the group's quota, which the sync then rightly refuses.
    /// </summary>
    public static TimeSpan DrawKeep(Random random, bool sg) => random.Next(3) switch
    {
        0 => TimeSpan.Zero,
        _ when sg => Short(random, sg),
        1 => Short(random, sg),
        _ => TimeSpan.FromHours(1),
    };

    /// <summary>A keep period that runs out within the campaign (within a few runs of an aws-sg lane).</summary>
    public static TimeSpan Short(Random random, bool sg) => TimeSpan.FromSeconds(random.Next(4, sg ? 13 : 21));

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: -f {Format} -s {string.Join(',', Sections)} --family {Family} --max-entries {MaxEntries} --keep-removed {(int)Keep.TotalSeconds}s");

    /// <summary>
    /// Serves the lane's next document: a later version (gaps drawn), its logs windows moved, grown or shrunk. The store compares
    /// each family's address count with the document in the runner's cache and refuses a loss of half, and that cache may hold any
    /// document served since the runner's last run that surely stored one (two steps of a fifth at each end lose 64%): so each
    /// window keeps at least three fifths of the largest window any runner's cache may hold.
    /// </summary>
    public void Next(Random random, string directory)
    {
        long oldest = _surelyStored.Count == 0 ? _version : _surelyStored.Values.Min();
        _cacheable.RemoveAll(d => d.Version < oldest);
        int Least(int least, Func<(long Version, int V4, int V6), int> size) =>
            Math.Max(least, _cacheable.Count == 0 ? 0 : ((_cacheable.Max(size) * 3) + 4) / 5);
        _version += random.Next(1, 6);
        _v4 = Move(random, _v4, Least(20, d => d.V4), Widest);
        _v6 = IPv6 || random.Next(2) == 0 ? Move(random, _v6, Least(5, d => d.V6), 120) : _v6;
        _cacheable.Add((_version, _v4.To - _v4.From, _v6.To - _v6.From));
        Document = GeneratedDocuments.Write(directory, Name, _version, _v4, _v6);
        Mirror.Serve(Document);
        // The oracle's reading: the sections' prefixes from the JSON, each section on its documented ports (never the library's rules).
        JsonObject root = JsonNode.Parse(File.ReadAllText(Document))!.AsObject();
        PublishedPrefixes = [.. Sections.SelectMany(s => DatadogTraffic.Prefixes(root, s)).Where(p => IPv6 || !p.Contains(':', StringComparison.Ordinal)).Distinct()];
        Published = AddressSet.Of(PublishedPrefixes);
        Ports = Sections.SelectMany(s => DatadogTraffic.Ports(s).Select(port => (Port: port, Prefixes: DatadogTraffic.Prefixes(root, s))))
            .GroupBy(p => p.Port)
            .ToDictionary(g => g.Key, g => g.SelectMany(p => p.Prefixes).Select(p => p.Contains(':', StringComparison.Ordinal)).Where(v6 => IPv6 || !v6).ToHashSet());
    }

    /// <summary>The <paramref name="runners"/> of a run exited with <paramref name="exits"/>: the cache of each that exited 0 holds the document served now.</summary>
    public void Stored(string[] runners, int[] exits)
    {
        foreach ((string runner, int exit) in runners.Zip(exits))
        {
            if (exit == 0)
            {
                _surelyStored[runner] = _version;
            }
        }
    }

    /// <summary>The lane's published prefixes were seen by a run that succeeded between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public void Succeeded(DateTimeOffset start, DateTimeOffset end)
    {
        foreach (string prefix in PublishedPrefixes)
        {
            Seen[prefix] = (start, end);
            CutEarly.Remove(prefix);
        }
    }

    /// <summary>
    /// The prefixes a run between <paramref name="start"/> and <paramref name="end"/> must keep (last seen surely within the keep
    /// period), and those it may keep (the rest not surely past it); neither holds the published ones.
    /// </summary>
    public (AddressSet Must, AddressSet May) Kept(DateTimeOffset start, DateTimeOffset end)
    {
        var must = new List<string>();
        var may = new List<string>();
        TimeSpan slack = TimeSpan.FromSeconds(1.5);
        foreach ((string prefix, (DateTimeOffset lo, DateTimeOffset hi)) in Seen.Where(s => !Published.Covers(s.Key)))
        {
            if (end - lo + slack < Keep && !CutEarly.Contains(prefix))
            {
                must.Add(prefix);
            }
            else if (start - hi < Keep + slack)
            {
                may.Add(prefix);
            }
        }

        return (AddressSet.Of(must), AddressSet.Of(may));
    }

    /// <summary>
    /// The arguments of a run by <paramref name="runner"/> (its own state and cache: another machine). A runner's cache is seeded
    /// on its first run with the document served then, vetted (the generated versions are far past the snapshot the library ships).
    /// </summary>
    public string[] Arguments(string runner, string directory)
    {
        string cache = Path.Combine(directory, $"cache-{runner}-{Name}");
        if (!System.IO.Directory.Exists(cache))
        {
            AwsAccount.Seed(cache, Mirror.BaseUri);
            _surelyStored[runner] = _version;
        }

        List<string> args = ["sync", "-f", Format, "--base-url", Mirror.BaseUri.AbsoluteUri, "--allow-http", "--cache", cache,
            "--state", Path.Combine(directory, $"{runner}-{Name}"), "--name", Name, "--family", Family, "--max-entries", MaxEntries.ToString(CultureInfo.InvariantCulture),
            "--keep-removed", string.Create(CultureInfo.InvariantCulture, $"{(int)Keep.TotalSeconds}s"), "--lock-wait", "5s"];
        foreach (string section in Sections)
        {
            args.AddRange(["-s", section]);
        }

        if (Group is not null)
        {
            args.AddRange(["--group-id", Group, "--rules-per-group", "1000"]);
        }

        return [.. args];
    }

    private static (int From, int To) Move(Random random, (int From, int To) window, int least, int most)
    {
        int size = window.To - window.From;
        int from = window.From + random.Next(0, (size / 5) + 1);
        int to = Math.Clamp(window.To + random.Next(-(size / 5), (size / 2) + least), from + least, from + most);
        return (from, to);
    }
}
