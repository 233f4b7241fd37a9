using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// What the host campaign expects of a host, worked out apart from the sync's own code and the engine: the versions the mirror
/// serves, the cache holds and the host has in force, when each prefix was last seen published, when the upstream last
/// confirmed the cache, and the addresses the kernel admits per section (published now, or last seen less than
/// <see cref="Keep"/> ago). A run that fetched updates the records; a run from the cache only re-applies them against
/// the clock; a run that loaded nothing leaves the kernel as it was. Documents are read as JSON and addresses held by the
/// proofs' own <see cref="AddressSet"/>: never the library's document, prefix set or rules.
/// </summary>
internal sealed class HostModel(IReadOnlyList<string> sections)
{
    /// <summary>The campaign's <c>--keep-removed</c> and <c>--max-stale</c>.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromHours(1), MaxStale = TimeSpan.FromDays(7);

    /// <summary>A record this close to the end of its keep period may end between the run and the check: its addresses are not judged.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(3);

    private readonly Dictionary<long, (byte[] Bytes, JsonObject Document)> _documents = [];
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _lastSeen = sections.ToDictionary(s => s, _ => new Dictionary<string, DateTimeOffset>());

    public IReadOnlyList<string> Sections => sections;

    /// <summary>The version the mirror serves when it is up.</summary>
    public long Served { get; private set; }

    /// <summary>The newest version in the host's cache (vetted).</summary>
    public long Cached { get; private set; }

    /// <summary>The version the host's rules were last applied from.</summary>
    public long InForce { get; private set; }

    /// <summary>The version in force before the last apply of another (the addresses a version removed are probed).</summary>
    public long Previous { get; private set; }

    /// <summary>When the upstream last confirmed the cache; null when unknown (state from before the time was recorded).</summary>
    public DateTimeOffset? Confirmed { get; set; }

    /// <summary>Per section, the addresses the kernel admits (after the last run that loaded rules).</summary>
    public Dictionary<string, AddressSet> Admitted { get; private set; } = [];

    /// <summary>Per section, each prefix recorded (as CIDR text) and when it was last seen published.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, DateTimeOffset>> LastSeen => _lastSeen;

    public byte[] Bytes(long version) => _documents[version].Bytes;

    /// <summary>A section's prefixes in a version, as its JSON writes them.</summary>
    public IReadOnlyList<string> Prefixes(long version, string section) => DatadogTraffic.Prefixes(_documents[version].Document, section);

    /// <summary>A section's addresses in a version.</summary>
    public AddressSet Published(long version, string section) => AddressSet.Of(Prefixes(version, section));

    /// <summary>Makes <paramref name="bytes"/> (a valid document) the one the mirror serves.</summary>
    public long Serve(byte[] bytes)
    {
        JsonObject document = JsonNode.Parse(bytes)!.AsObject();
        long version = (long)document["version"]!;
        _documents[version] = (bytes, document);
        Served = version;
        return Served;
    }

    /// <summary>
    /// A run fetched the served document, cached it and applied it: the records follow the keep period's documented contract. The
    /// mirror's Date header vouches for the time (its clock is the host's here): no record is kept later than it, the last
    /// confirmation included.
    /// </summary>
    public void Fetched(DateTimeOffset now)
    {
        Confirmed = now;
        Cached = Served;
        foreach (string section in sections)
        {
            Dictionary<string, DateTimeOffset> recorded = _lastSeen[section];
            var times = Prefixes(Served, section).Distinct().ToDictionary(p => p, _ => now);
            foreach ((string prefix, DateTimeOffset at) in recorded.Where(r => !times.ContainsKey(r.Key) && Kept(r.Value, now)))
            {
                times[prefix] = at < now ? at : now;
            }

            _lastSeen[section] = times;
        }

        Apply(Served, now);
    }

    /// <summary>Whether the kernel holds the sync's rules (false after a reboot, until a run loads them).</summary>
    public bool Loaded { get; private set; }

    /// <summary>A reboot: the kernel holds none of the sync's rules.</summary>
    public void Flushed()
    {
        Loaded = false;
        Admitted = sections.ToDictionary(s => s, _ => AddressSet.Empty);
    }

    /// <summary>What a run fetching the served document would admit, the model unchanged (a run killed mid-apply).</summary>
    public Dictionary<string, AddressSet> Preview(DateTimeOffset now) => Admits(Served, now);

    /// <summary>A run loaded the cached copy (the upstream down, the document refused, offline): the records against the clock.</summary>
    public void FromCache(DateTimeOffset now) => Apply(Cached, now);

    /// <summary>Whether a run that cannot fetch finds the cached copy young enough to load (otherwise it loads nothing: exit 3).</summary>
    public bool CacheUsable(DateTimeOffset now) => Confirmed is { } confirmed && (confirmed > now || now - confirmed <= MaxStale);

    /// <summary>Every recorded time moved by <paramref name="by"/> (negative: the clock ran forward past them).</summary>
    public void Shift(TimeSpan by)
    {
        Confirmed += by;
        foreach (Dictionary<string, DateTimeOffset> records in _lastSeen.Values)
        {
            foreach (string prefix in records.Keys.ToList())
            {
                records[prefix] += by;
            }
        }
    }

    /// <summary>Whether <paramref name="address"/> on <paramref name="port"/> is admitted; null when a record ends too near now to say.</summary>
    public bool? Admits(IReadOnlyDictionary<string, AddressSet> admitted, IReadOnlyDictionary<string, int[]> ports, IPAddress address, int port, DateTimeOffset now)
    {
        bool open = sections.Any(s => ports[s].Contains(port) && admitted[s].Contains(address));
        bool near = sections.Any(s => ports[s].Contains(port) && _lastSeen[s].Any(r => AddressSet.Of(r.Key).Contains(address) && (r.Value + Keep - now).Duration() < Margin));
        return near ? null : open;
    }

    /// <summary>Whether some record ends too near now for the state's records to be judged.</summary>
    public bool Unsettled(DateTimeOffset now) => _lastSeen.Values.Any(records => records.Values.Any(at => (at + Keep - now).Duration() < Margin));

    /// <summary>
    /// A new version from the served one: in each section and family, maybe a prefix dropped (no more than the store allows), some
    /// added, and one shape at the edges (<see cref="Edge"/>). The prefixes are written as drawn: duplicates, nested and neighbouring
    /// blocks are the engine's to collapse.
    /// </summary>
    public byte[] Newer(Random random)
    {
        long version = Served + random.Next(1, 7);
        JsonObject root = JsonNode.Parse(Bytes(Served))!.AsObject();
        root["version"] = version;
        // The documents of the past wrote the time two ways; the new one keeps the old one's.
        string modified = (string)root["modified"]!;
        string form = modified.Contains('T', StringComparison.Ordinal) ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-dd-HH-mm-ss";
        root["modified"] = DateTime.ParseExact(modified, form, System.Globalization.CultureInfo.InvariantCulture)
            .AddHours(version - Served).ToString(form, System.Globalization.CultureInfo.InvariantCulture);
        foreach (string section in new[] { "agents", "logs" })
        {
            foreach (bool v6 in new[] { false, true })
            {
                List<string> prefixes = [.. Prefixes(Served, section).Where(p => p.Contains(':', StringComparison.Ordinal) == v6)];
                UInt128 total = AddressSet.Of(prefixes).Count(v6);
                string[] small = [.. prefixes.Where(p => Size(p) * 5 <= total * 2)];
                if (small.Length > 0 && random.Next(2) == 0)
                {
                    prefixes.Remove(small[random.Next(small.Length)]);
                }

                prefixes.AddRange(Enumerable.Range(0, random.Next(0, 3)).Select(_ => RandomPrefix(random, v6)));
                prefixes.AddRange(Edge(random, v6));
                root[section]![v6 ? "prefixes_ipv6" : "prefixes_ipv4"] = new JsonArray([.. prefixes.Select(p => JsonValue.Create(p))]);
            }
        }

        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>
    /// Two prefixes at an edge of the engine's collapse: a block and the address one past the address after it (never joined: the
    /// address between is no one's), a block and its neighbour (joined), a block and one inside it, or one block written twice.
    /// </summary>
    public static string[] Edge(Random random, bool v6)
    {
        string block = RandomPrefix(random, v6, v6 ? random.Next(116, 127) : random.Next(24, 31));
        AddressSet.Span span = AddressSet.Block(block);
        int length = int.Parse(block[(block.IndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        string At(UInt128 value, int bits) => $"{AddressSet.Address(value, v6)}/{bits}";
        return random.Next(4) switch
        {
            0 => [block, At(span.Last + 2, v6 ? 128 : 32)],
            1 => [block, At(span.Last + 1, length)],
            2 => [block, At(span.First + (Size(block) / 2), length + 1)],
            _ => [block, block],
        };
    }

    /// <summary>The served document shrunk in one section and family far beyond what the store accepts (or emptied), as a newer version.</summary>
    public byte[] Shrunk(Random random, out string what)
    {
        JsonObject root = JsonNode.Parse(Bytes(Served))!.AsObject();
        root["version"] = Served + random.Next(1, 4);
        string section = random.Next(2) == 0 ? "agents" : "logs";
        bool v6 = random.Next(2) == 0;
        string largest = Prefixes(Served, section).Where(p => p.Contains(':', StringComparison.Ordinal) == v6).MaxBy(Size)!;
        int length = int.Parse(largest[(largest.IndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        string kept = $"{largest[..largest.IndexOf('/')]}/{Math.Min(length + random.Next(2, 9), v6 ? 128 : 32)}";
        bool emptied = random.Next(4) == 0;
        root[section]![v6 ? "prefixes_ipv6" : "prefixes_ipv4"] = emptied ? new JsonArray() : new JsonArray(JsonValue.Create(kept));
        what = $"{section} {(v6 ? "IPv6" : "IPv4")} {(emptied ? "emptied" : $"shrunk to {kept}")}";
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>
    /// The cached document under an older version number that no document served held: the rollback rule alone refuses it
    /// (a number the cache vetted with other content would be refused as a conflict whatever the rollback rule says).
    /// </summary>
    public byte[] Older(Random random, out long version)
    {
        JsonObject root = JsonNode.Parse(Bytes(Cached))!.AsObject();
        long[] unused = [.. Enumerable.Range(1, 19).Select(back => Cached - back).Where(v => v >= 1 && !_documents.ContainsKey(v))];
        version = unused[random.Next(unused.Length)];
        root["version"] = version;
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private void Apply(long version, DateTimeOffset now)
    {
        if (version != InForce)
        {
            (Previous, InForce) = (InForce == 0 ? version : InForce, version);
        }

        Admitted = Admits(version, now);
        Loaded = true;
    }

    private Dictionary<string, AddressSet> Admits(long version, DateTimeOffset now) =>
        sections.ToDictionary(s => s, s => Published(version, s).Union(AddressSet.Of(_lastSeen[s].Where(r => Kept(r.Value, now)).Select(r => r.Key))));

    private static bool Kept(DateTimeOffset at, DateTimeOffset now) => now - (at < now ? at : now) < Keep;

    private static UInt128 Size(string prefix) => AddressSet.Block(prefix) is var span ? span.Last - span.First + 1 : 0;

    // A block where Datadog's own are (AWS's ranges): IPv4 /22 to /28 and IPv6 /52 to /64 unless a length is given.
    private static string RandomPrefix(Random random, bool v6, int? length = null)
    {
        byte[] bytes = new byte[v6 ? 16 : 4];
        random.NextBytes(bytes);
        int[] first = [3, 13, 18, 34, 35, 44, 52, 54, 107];
        (bytes[0], bytes[1], bytes[2]) = v6 ? ((byte)0x26, (byte)0x00, (byte)0x1f) : ((byte)first[random.Next(first.Length)], bytes[1], bytes[2]);
        bytes[3] = v6 ? (byte)random.Next(0x10, 0x20) : bytes[3];
        int bits = length ?? (v6 ? random.Next(52, 65) : random.Next(22, 29));
        UInt128 value = AddressSet.Number(new IPAddress(bytes)), hosts = (UInt128.One << ((v6 ? 128 : 32) - bits)) - 1;
        return $"{AddressSet.Address(value & ~hosts, v6)}/{bits}";
    }
}
