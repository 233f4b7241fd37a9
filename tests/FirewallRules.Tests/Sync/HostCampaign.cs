using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A randomized fault campaign over one host (a namespace running one sync format) and an intake namespace that accepts
/// connections to any address. Every parameter comes from the seed: the sections synced, each newer version (prefixes
/// dropped and added per section and family), the older version, the shrink, the clock's offsets both ways, the kill's
/// timing. Events: newer, older, shrunk and malformed documents, the upstream down, slow or refusing, a reboot (flush, the
/// host's policy, the boot unit's offline sync, checked before the timer's run), kill -9 during an apply, the listener
/// protection by hand, a second owner, a full cache disk, the clock forward (within the keep period, past it, past the
/// cache's age bound) and back (every record in the future), a cached copy edited in place, state from before the upgrade. Each
/// newer version also carries a shape at the edges of the engine's collapse (<see cref="HostModel.Edge"/>). After each event the host is
/// held to <see cref="HostModel"/>: the exit status, the admitted set per section, family and port probed at random
/// addresses inside and just outside every prefix in play (real connections; for the policy-accept layout, which drops
/// nothing, the kernel's trace of each connection's verdict), the version in force and the state file.
/// </summary>
internal sealed partial class HostCampaign
{
    private const int NotOpened = 8443, Apm = 8126;

    private readonly string _format;
    private readonly SyncHost _host;
    private readonly NetworkNamespace _intake;
    private readonly string _path;
    private readonly Random _random;
    private readonly HostModel _model;
    private readonly Dictionary<string, int[]> _ports;
    private readonly List<string> _played = [];
    private readonly List<string> _planted = [];
    private bool _listener;
    private int _event = -1;
    private int _forward;
    private readonly int _forwardFirst;
    private TimeSpan _syncing, _checking;
    private int _runs;

    public HostCampaign(string format, int seed, SyncHost host, NetworkNamespace intake, string path)
    {
        (_format, _host, _intake, _path) = (format, host, intake, path);
        // One stream per format: the three formats of one seed play different campaigns, each replayed by seed and format.
        _random = new Random(seed * 7 + Array.IndexOf(Formats, format));
        string[] sections = _random.Next(4) switch { 0 => ["agents"], 1 => ["logs"], _ => ["agents", "logs"] };
        _model = new HostModel(sections);
        _forwardFirst = _random.Next(3);
        int[] first = [46, 47, 52, 59];
        _model.Serve(File.ReadAllBytes(FetchTesting.Document(first[_random.Next(first.Length)])));
        Drawn = $"sections {string.Join('+', sections)}, first version v{_model.Served}";
        _ports = sections.ToDictionary(s => s, DatadogTraffic.Ports);
    }

    /// <summary>The formats a campaign plays.</summary>
    public static readonly string[] Formats = ["nftables", "nftables-strict", "iptables-ipset-script"];

    /// <summary>The number of event picks: <see cref="PlayOneAsync"/>'s cases.</summary>
    public const int Picks = 18;

    /// <summary>Each event played, in order: with the seed, what reproduces a lapse.</summary>
    public IReadOnlyList<string> Played => _played;

    /// <summary>What went wrong, each with its event index: a probe with the wrong outcome, a wrong exit status, state or version.</summary>
    public List<string> Lapses { get; } = [];

    /// <summary>The index of the first event with a lapse (-1: the first sync), or null.</summary>
    public int? FirstLapse { get; private set; }

    public int Connections { get; private set; }

    /// <summary>What the campaign drew from the seed before the first event.</summary>
    public string Drawn { get; }

    private bool Nft => _format != "iptables-ipset-script";

    private string[] Args => ["--format", _format, .. _model.Sections.SelectMany(s => new[] { "--section", s }), "--keep-removed", "1h", "--retries", "0", "--max-stale", "7d"];

    /// <summary>
    /// Boots the host and makes the first sync, then plays <paramref name="events"/> events (or up to and including event
    /// <paramref name="until"/>, or fewer when <paramref name="budget"/> runs out: the event under way is finished and
    /// checked). Each event and its lapses are appended to <paramref name="log"/> when given. When <paramref name="dealt"/>,
    /// the events are dealt from a shuffled deck holding every pick equally often (the CI run), instead of drawn at random.
    /// </summary>
    public async Task PlayAsync(int events, TimeSpan? budget = null, string? log = null, bool dealt = false, int? until = null)
    {
        var clock = Stopwatch.StartNew();
        int[]? deck = null;
        if (dealt)
        {
            deck = [.. Enumerable.Repeat(Enumerable.Range(0, Picks), (events + Picks - 1) / Picks).SelectMany(p => p)];
            _random.Shuffle(deck);
        }

        Boot();
        _host.Mirror.Serve(_model.Bytes(_model.Served));
        await ExpectAsync("first sync", Fetch(), Sync());
        await CheckAsync("first sync");
        // The campaign stops after the event of its first lapse: that event, with the seed, is what to replay.
        for (_event = 0; _event < events && _event <= (until ?? int.MaxValue) && (budget is null || clock.Elapsed < budget) && Lapses.Count == 0; _event++)
        {
            int lapses = Lapses.Count;
            (TimeSpan started, TimeSpan syncing, TimeSpan checking, int runs) = (clock.Elapsed, _syncing, _checking, _runs);
            _host.Mirror.ClearFaults();
            _host.Mirror.Serve(_model.Bytes(_model.Served));
            string name = await PlayOneAsync(deck?[_event] ?? _random.Next(Picks));
            _played.Add($"#{_event} {name}");
            await CheckAsync(name);
            if (log is not null)
            {
                string line = string.Create(CultureInfo.InvariantCulture,
                    $"{_format} #{_event} {clock.Elapsed.TotalSeconds:0}s {name} [{(clock.Elapsed - started).TotalMilliseconds:0} ms: {_runs - runs} runs " +
                        $"{(_syncing - syncing).TotalMilliseconds:0} ms, checks {(_checking - checking).TotalMilliseconds:0} ms]");
                File.AppendAllLines(log, [line, .. Lapses.Skip(lapses).Select(lapse => $"  LAPSE {lapse}")]);
            }
        }
    }

    private async Task<string> PlayOneAsync(int pick)
    {
        switch (pick)
        {
            case 0 or 1:
                long newer = _model.Serve(_model.Newer(_random));
                _host.Mirror.Serve(_model.Bytes(newer));
                return await ExpectAsync($"newer v{newer} ({Change()})", Fetch(), Sync());
            case 2:
                _host.Mirror.Serve(_model.Older(_random, out long older));
                return await ExpectAsync($"older v{older} refused", Refused(), Sync());
            case 3:
                _host.Mirror.Serve(_model.Shrunk(_random, out string what));
                return await ExpectAsync($"shrunk document refused ({what})", Refused(), Sync());
            case 4:
                _host.Mirror.Always(IpRangesServer.Body("{ \"version\": 99, \"logs\": "u8.ToArray()));
                return await ExpectAsync("malformed document", Refused(), Sync());
            case 5:
                _host.Mirror.Always(IpRangesServer.Status(503));
                return await ExpectAsync("upstream down", Down(), Sync());
            case 6:
                return await SlowAsync();
            case 7:
                _host.Mirror.Always(IpRangesServer.Status(403));
                return await ExpectAsync("upstream refusing (403)", Down(), Sync());
            case 8 or 9:
                return await RebootAsync();
            case 10:
                return await KillDuringApplyAsync();
            case 11:
                return Nft ? await ListenerByHandAsync() : await ExpectAsync("a sync (no listener protection for iptables)", Fetch(), Sync());
            case 12:
                return await SecondOwnerAsync();
            case 13:
                long full = _model.Serve(_model.Newer(_random));
                _host.Mirror.Serve(_model.Bytes(full));
                return await ExpectAsync($"cache disk full with a newer v{full}", Down(network: false), FullDisk.SyncAsync(_host, _path, Args));
            case 14:
                return await ClockForwardAsync();
            case 15:
                return await ClockBackAsync();
            case 16:
                return await CacheEditedAsync();
            default:
                OldState();
                _host.Mirror.Always(IpRangesServer.Status(503));
                return await ExpectAsync("tool upgrade over old state, then an outage", Down(), Sync());
        }
    }

    /// <summary>What the newest version changed against the one in force, for the event's name.</summary>
    private string Change()
    {
        AddressSet Union(long version) => _model.Sections.Select(s => _model.Published(version, s)).Aggregate((a, b) => a.Union(b));
        AddressSet before = Union(_model.Cached), after = Union(_model.Served);
        return $"+{after.Except(before).Blocks().Count()} -{before.Except(after).Blocks().Count()} prefixes";
    }

    private async Task<string> SlowAsync()
    {
        byte[] current = _model.Bytes(_model.Served);
        int delay = _random.Next(200, 2500);
        _host.Mirror.Always(async (context, token) =>
        {
            await Task.Delay(delay, token);
            await IpRangesServer.Body(current)(context, token);
        });
        return await ExpectAsync($"upstream slow ({delay} ms)", Fetch(), Sync());
    }

    private async Task<string> RebootAsync()
    {
        Boot();
        _model.Flushed();
        _listener = false;
        _host.Mirror.Always(IpRangesServer.Status(503));
        // The boot unit's own load is checked before the timer's run: a host must not wait for the timer to have rules.
        string boot = await ExpectAsync("reboot: boot unit (offline)", Offline(), Sync("--offline"));
        await CheckAsync(boot);
        return await ExpectAsync("reboot during an outage, then the timer's run", Down(), Sync());
    }

    /// <summary>
    /// The newest cached copy edited in place (a prefix planted in every section synced), then a run with the upstream up: only what
    /// the store vetted may be loaded (the copy no longer holds the bytes whose SHA-256 it recorded, so it is fetched again and
    /// replaced), never the edit; the planted prefix is probed from then on.
    /// </summary>
    private async Task<string> CacheEditedAsync()
    {
        string copy = Directory.GetFiles(_host.Cache, $"v{_model.Cached}.json", SearchOption.AllDirectories).Single();
        JsonObject root = JsonNode.Parse(File.ReadAllBytes(copy))!.AsObject();
        string planted = _random.Next(2) == 0 ? "8.8.8.0/24" : "2001:4860:4860::/48";
        foreach (string section in _model.Sections)
        {
            root[section]![planted.Contains(':', StringComparison.Ordinal) ? "prefixes_ipv6" : "prefixes_ipv4"]!.AsArray().Add(planted);
        }

        File.WriteAllText(copy, root.ToJsonString());
        _planted.Add(planted);
        return await ExpectAsync($"cached v{_model.Cached} edited in place ({planted} planted), then a run with the upstream up", Fetch(), Sync());
    }

    private async Task<string> ClockForwardAsync()
    {
        // The three reaches in turn (from a point the seed draws), each by a drawn amount: within the keep period, past it
        // but within the cache's age bound, past that bound (the upstream down: nothing may be loaded, exit 3).
        int reach = (_forward++ + _forwardFirst) % 3;
        TimeSpan by = reach switch
        {
            0 => TimeSpan.FromMinutes(_random.Next(5, 50)),
            1 => TimeSpan.FromHours(_random.Next(2, 140)),
            _ => TimeSpan.FromDays(_random.Next(8, 40)),
        };
        ShiftRecords(-by);
        return await AfterShiftAsync($"clock forward {FirewallRulesAge(by)}", down: reach == 2 || _random.Next(2) == 0);
    }

    private async Task<string> ClockBackAsync()
    {
        // Every record ahead of the clock (a real-time clock reset at boot): nothing may be dropped for it.
        TimeSpan by = TimeSpan.FromMinutes(_random.Next(30, 60 * 24 * 60));
        ShiftRecords(by);
        return await AfterShiftAsync($"clock back {FirewallRulesAge(by)} (every record in the future)", down: _random.Next(2) == 0);
    }

    private async Task<string> AfterShiftAsync(string name, bool down)
    {
        if (!down)
        {
            return await ExpectAsync($"{name}, upstream up", Fetch(), Sync());
        }

        _host.Mirror.Always(IpRangesServer.Status(503));
        return await ExpectAsync($"{name}, upstream down", Down(), Sync());
    }

    private static string FirewallRulesAge(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays}d{span.Hours}h" : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes}m" : $"{span.Minutes}m";

    private Task<ToolResult> Sync(params string[] more) => _host.RunAsync(_path, ["sync", .. _host.Common, .. Args, .. more]);

    /// <summary>What a run is expected to do: the exit statuses allowed, and the model's change once it ran.</summary>
    private readonly record struct Outcome(int[] Codes, Action<DateTimeOffset> Then);

    /// <summary>A run that fetches the served document: exit 0, the records updated.</summary>
    private Outcome Fetch() => new([0], _model.Fetched);

    /// <summary>
    /// A run that cannot use the upstream's document: the cached copy loaded (exit 4), or nothing when the copy is too old
    /// (exit 3 when the fetch failed; 1, or 3 for a body that could not be read, when the document could not be kept).
    /// </summary>
    private Outcome Down(bool network = true) =>
        _model.CacheUsable(DateTimeOffset.UtcNow) ? new([4], _model.FromCache) : new(network ? [3] : [1, 3], _ => { });

    /// <summary>
    /// A run whose document is refused (an older version, a shrink, not a valid document): the cached copy kept in force with exit 5, which
    /// the unit counts as a failure, or nothing when the copy is too old (1, or 3 for a body that could not be read).
    /// </summary>
    private Outcome Refused() =>
        _model.CacheUsable(DateTimeOffset.UtcNow) ? new([5], _model.FromCache) : new([1, 3], _ => { });

    /// <summary>The boot unit's offline run: the cached copy loaded (exit 0), or nothing when it is too old (exit 3).</summary>
    private Outcome Offline() =>
        _model.CacheUsable(DateTimeOffset.UtcNow) ? new([0], _model.FromCache) : new([3], _ => { });

    private async Task<string> ExpectAsync(string name, Outcome outcome, Task<ToolResult> run)
    {
        var clock = Stopwatch.StartNew();
        ToolResult result = await run;
        _syncing += clock.Elapsed;
        _runs++;
        outcome.Then(DateTimeOffset.UtcNow);
        if (!outcome.Codes.Contains(result.ExitCode))
        {
            Lapse($"{name}: exit {result.ExitCode}, expected {string.Join(" or ", outcome.Codes)}: {result.Error.Trim()}");
        }

        return name;
    }

    private void Lapse(string what)
    {
        FirstLapse ??= _event;
        Lapses.Add(_event < 0 ? $"first sync: {what}" : $"#{_event} {what}");
    }

    /// <summary>A newer version to apply; the run is killed as soon as its apply is seen in the process table.</summary>
    private async Task<string> KillDuringApplyAsync()
    {
        (Dictionary<string, AddressSet> before, bool loaded) = (_model.Admitted, _model.Loaded);
        long version = _model.Serve(_model.Newer(_random));
        _host.Mirror.Serve(_model.Bytes(version));
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["ip", "netns", "exec", _host.Namespace.Name, "env", $"PATH={_path}", _host.Tool, "sync", .. _host.Common, .. Args])
        {
            start.ArgumentList.Add(arg);
        }

        using Process sync = Process.Start(start)!;
        string? applying = await ApplyingAsync(sync);
        if (applying is not null)
        {
            await Task.Delay(_random.Next(0, 5));
            LinuxTools.Run("kill", ["-9", "--", $"-{sync.Id}"]);
        }

        await sync.WaitForExitAsync();
        // Killed mid-apply, the kernel holds the old rules or the new, whole: either is right, a mixture is not.
        await CheckAsync($"killed during '{applying ?? "no apply seen"}' (v{version})", alternatives: [(before, loaded), (_model.Preview(DateTimeOffset.UtcNow), true)]);
        return await ExpectAsync($"kill -9 during {(applying is null ? "a run (no apply seen)" : "the apply")} of v{version}, then the next run", Fetch(), Sync());
    }

    private async Task<string> ListenerByHandAsync()
    {
        // Under the allow-list's name (a file from before the listener protection had a name of its own): it replaces the table.
        ProcessResult generated = await FwrulesProcess.RunAsync(null, "generate", "-f", _format, "--agent", "datadog", "--feature", "apm", "--name", "datadog");
        _host.Namespace.ExecWithInput(generated.Output, "nft", "-f", "-").Succeeded();
        _listener = true;
        await CheckAsync("listener protection applied by hand (the allow-list replaced until the next sync)", allowList: false);
        return await ExpectAsync("listener protection by hand, then the timer's sync re-takes the table", Fetch(), Sync());
    }

    private async Task<string> SecondOwnerAsync()
    {
        string other = Path.Combine(_host.Directory, "second-owner");
        await ExpectAsync("second owner refused", new([1], _ => { }),
            _host.RunAsync(_path, ["sync", "--base-url", _host.Mirror.BaseUri.AbsoluteUri, "--cache", Path.Combine(_host.Directory, "second-cache"), "--state", other, .. Args]));
        return "a second owner (another --state) refused";
    }

    /// <summary>Every time the host recorded (the state's last-seen, confirmed and vouched times, the cached copies) moved by <paramref name="by"/>.</summary>
    private void ShiftRecords(TimeSpan by)
    {
        string state = Path.Combine(_host.State, "state.json");
        JsonObject root = JsonNode.Parse(File.ReadAllText(state))!.AsObject();
        static string Moved(JsonNode? time, TimeSpan by) =>
            DateTimeOffset.Parse((string)time!, CultureInfo.InvariantCulture).Add(by).ToString("O", CultureInfo.InvariantCulture);
        foreach (string time in new[] { "confirmed", "vouched" }.Where(time => root[time] is not null))
        {
            root[time] = Moved(root[time], by);
        }

        foreach ((string _, JsonNode? section) in root["published"]!.AsObject())
        {
            foreach (string prefix in section!.AsObject().Select(p => p.Key).ToList())
            {
                section[prefix] = Moved(section[prefix], by);
            }
        }

        File.WriteAllText(state, root.ToJsonString());
        foreach (string copy in Directory.GetFiles(_host.Cache, "v*.json", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(copy).Add(by));
        }

        _model.Shift(by);
    }

    /// <summary>State as the tool wrote it before <c>confirmed</c> existed, the cached copy saved long ago.</summary>
    private void OldState()
    {
        string state = Path.Combine(_host.State, "state.json");
        JsonObject root = JsonNode.Parse(File.ReadAllText(state))!.AsObject();
        root.Remove("confirmed");
        root.Remove("vouched");
        File.WriteAllText(state, root.ToJsonString());
        foreach (string copy in Directory.GetFiles(_host.Cache, "v*.json", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.AddDays(-30));
        }

        // The state file's own time stands for the confirmation (it was just written).
        _model.Confirmed = DateTimeOffset.UtcNow;
    }
}
