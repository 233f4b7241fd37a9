using System.Diagnostics;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Cli;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A randomized fault campaign over one host (a namespace running one sync format) and an intake namespace whose listeners
/// hold addresses every played version publishes, per section and family. Events: newer, older, shrunk and malformed
/// documents, the upstream down, slow or refusing, a reboot (flush, the host's policy, the boot unit's offline sync), kill -9
/// during an apply (seen in the process table, not at a fixed delay), the listener protection by hand, a second owner, a
/// full cache disk (a tiny tmpfs in a private mount namespace), the clock forward and back, state from before the upgrade.
/// After each event, real connections: every published address connects on each of its section's ports, and (where the
/// layout drops them) an outside address and a port not opened are dropped; the listener protection holds while applied.
/// </summary>
internal sealed partial class HostCampaign(string format, int seed, SyncHost host, NetworkNamespace intake, string path)
{
    private const int NotOpened = 8443, Apm = 8126;
    private static readonly string[] Sections = ["agents", "logs"];
    private static readonly int[] Versions = [46, 47, 52, 59];

    private readonly Random _random = new(seed);
    private readonly List<string> _played = [];
    private int _version = 46;
    private bool _listener;
    private TimeSpan _syncing, _checking;
    private int _runs;

    /// <summary>Each event played, in order: with the seed, what reproduces a lapse.</summary>
    public IReadOnlyList<string> Played => _played;

    /// <summary>What went wrong: a connection with the wrong outcome, or a sync with an unexpected exit status.</summary>
    public List<string> Lapses { get; } = [];

    public int Connections { get; private set; }

    private bool Nft => format != "iptables-ipset-script";

    private string[] Args => ["--format", format, "--section", "agents", "--section", "logs", "--keep-removed", "1h", "--retries", "0", "--max-stale", "7d"];

    /// <summary>The number of event picks: <see cref="PlayOneAsync"/>'s cases (0 or 1 and 8 or 9 are the same event twice as often).</summary>
    public const int Picks = 17;

    /// <summary>
    /// Boots the host and makes the first sync, then plays <paramref name="events"/> random events, or fewer when
    /// <paramref name="budget"/> runs out (the event under way is finished and checked). Each event and its lapses are
    /// appended to <paramref name="log"/> when given, so a long run that is stopped still says what it played. When
    /// <paramref name="dealt"/>, the events are dealt from a shuffled deck holding every pick equally often (the CI run:
    /// a short run still plays each event), instead of drawn at random.
    /// </summary>
    public async Task PlayAsync(int events, TimeSpan? budget = null, string? log = null, bool dealt = false)
    {
        var clock = Stopwatch.StartNew();
        int[]? deck = null;
        if (dealt)
        {
            deck = [.. Enumerable.Repeat(Enumerable.Range(0, Picks), (events + Picks - 1) / Picks).SelectMany(p => p)];
            _random.Shuffle(deck);
        }

        Boot();
        await SyncAsync("first sync", [0]);
        await CheckAsync("first sync");
        for (int i = 0; i < events && (budget is null || clock.Elapsed < budget); i++)
        {
            int lapses = Lapses.Count;
            (TimeSpan started, TimeSpan syncing, TimeSpan checking, int runs) = (clock.Elapsed, _syncing, _checking, _runs);
            host.Mirror.ClearFaults();
            host.Mirror.Serve(Document(_version));
            string name = await PlayOneAsync(deck?[i] ?? _random.Next(Picks));
            _played.Add(name);
            await CheckAsync($"#{i} {name}");
            if (log is not null)
            {
                // Where the event's time went: the syncs (each an fwrules process and its tools), the connection checks, the rest.
                string line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{format} #{i} {clock.Elapsed.TotalSeconds:0}s {name} [{(clock.Elapsed - started).TotalMilliseconds:0} ms: {_runs - runs} runs " +
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
                _version = _version < 59 ? Versions[Array.IndexOf(Versions, _version) + 1] : _version + 1;
                host.Mirror.Serve(Document(_version));
                return await SyncAsync($"newer v{_version}", [0]);
            case 2:
                host.Mirror.Serve(DocumentEdits.Edit(46, root => root["version"] = 40));
                return await SyncAsync("older v40 refused", [4]);
            case 3:
                host.Mirror.Serve(Shrunk());
                return await SyncAsync("shrunk document refused", [4]);
            case 4:
                host.Mirror.Always(IpRangesServer.Body("{ \"version\": 99, \"logs\": "u8.ToArray()));
                return await SyncAsync("malformed document", [4]);
            case 5:
                host.Mirror.Always(IpRangesServer.Status(503));
                return await SyncAsync("upstream down", [4]);
            case 6:
                byte[] current = Document(_version);
                host.Mirror.Always(async (context, token) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(1.5), token);
                    await IpRangesServer.Body(current)(context, token);
                });
                return await SyncAsync("upstream slow (1.5 s)", [0]);
            case 7:
                host.Mirror.Always(IpRangesServer.Status(403));
                return await SyncAsync("upstream refusing (403)", [4]);
            case 8 or 9:
                Boot();
                _listener = false;
                host.Mirror.Always(IpRangesServer.Status(503));
                await SyncAsync("reboot: boot unit (offline)", [0], "--offline");
                return await SyncAsync("reboot during an outage, then the timer's run", [4]);
            case 10:
                return await KillDuringApplyAsync();
            case 11:
                return Nft ? await ListenerByHandAsync() : await SyncAsync("a sync (no listener protection for iptables)", [0]);
            case 12:
                return await SecondOwnerAsync();
            case 13:
                _version = _version < 59 ? Versions[Array.IndexOf(Versions, _version) + 1] : _version + 1;
                host.Mirror.Serve(Document(_version));
                return await RunAsync("cache disk full with a newer version", [4], FullDisk.SyncAsync(host, path, Args));
            case 14:
                ShiftClock(TimeSpan.FromDays(-2));
                host.Mirror.Always(IpRangesServer.Status(503));
                return await SyncAsync("clock forward 2 days, upstream down", [4]);
            case 15:
                ShiftClock(TimeSpan.FromDays(1));
                host.Mirror.Always(IpRangesServer.Status(503));
                return await SyncAsync("clock back 1 day (confirmed ahead of it), upstream down", [4]);
            default:
                OldState();
                host.Mirror.Always(IpRangesServer.Status(503));
                return await SyncAsync("tool upgrade over old state, then an outage", [4]);
        }
    }

    private static byte[] Document(int version) =>
        version <= 59 ? File.ReadAllBytes(FetchTesting.Document(version)) : DocumentEdits.Edit(59, root => root["version"] = version);

    private byte[] Shrunk() => DocumentEdits.Edit(Math.Min(_version, 59), root =>
    {
        root["version"] = _version + 1;
        root["logs"]!["prefixes_ipv4"] = new JsonArray("3.233.144.0/28");
    });

    private Task<string> SyncAsync(string name, int[] codes, params string[] more) =>
        RunAsync(name, codes, host.RunAsync(path, ["sync", .. host.Common, .. Args, .. more]));

    private async Task<string> RunAsync(string name, int[] codes, Task<ToolResult> run)
    {
        var clock = Stopwatch.StartNew();
        ToolResult result = await run;
        _syncing += clock.Elapsed;
        _runs++;
        if (!codes.Contains(result.ExitCode))
        {
            Lapses.Add($"{name}: exit {result.ExitCode}, expected {string.Join(" or ", codes)}: {result.Error.Trim()}");
        }

        return name;
    }

    /// <summary>A newer version to apply; the run is killed as soon as its apply is seen in the process table.</summary>
    private async Task<string> KillDuringApplyAsync()
    {
        _version = _version < 59 ? Versions[Array.IndexOf(Versions, _version) + 1] : _version + 1;
        host.Mirror.Serve(Document(_version));
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["ip", "netns", "exec", host.Namespace.Name, "env", $"PATH={path}", host.Tool, "sync", .. host.Common, .. Args])
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
        await CheckAsync($"killed during '{applying ?? "no apply seen"}' (v{_version})");
        return await SyncAsync($"kill -9 during {(applying is null ? "a run (no apply seen)" : "the apply")} of v{_version}, then the next run", [0]);
    }

    private async Task<string> ListenerByHandAsync()
    {
        // Under the allow-list's name (a file from before the listener protection had a name of its own): it replaces the table.
        ProcessResult generated = await FwrulesProcess.RunAsync(null, "generate", "-f", format, "--agent", "datadog", "--feature", "apm", "--name", "datadog");
        host.Namespace.ExecWithInput(generated.Output, "nft", "-f", "-").Succeeded();
        _listener = true;
        await CheckAsync("listener protection applied by hand (the allow-list replaced until the next sync)", allowList: false);
        return await SyncAsync("listener protection by hand, then the timer's sync re-takes the table", [0]);
    }

    private async Task<string> SecondOwnerAsync()
    {
        string other = Path.Combine(host.Directory, "second-owner");
        await RunAsync("second owner refused", [1],
            host.RunAsync(path, ["sync", "--base-url", host.Mirror.BaseUri.AbsoluteUri, "--cache", Path.Combine(host.Directory, "second-cache"), "--state", other, .. Args]));
        return "a second owner (another --state) refused";
    }

    /// <summary>The recorded confirmation moved by <paramref name="by"/> relative to the clock (negative: the clock ran forward).</summary>
    private void ShiftClock(TimeSpan by)
    {
        string state = Path.Combine(host.State, "state.json");
        JsonObject root = JsonNode.Parse(File.ReadAllText(state))!.AsObject();
        root["confirmed"] = DateTimeOffset.UtcNow.Add(by).ToString("O");
        File.WriteAllText(state, root.ToJsonString());
        foreach (string copy in Directory.GetFiles(host.Cache, "v*.json", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.Add(by < TimeSpan.Zero ? by : -by));
        }
    }

    /// <summary>State as the tool wrote it before <c>confirmed</c> existed, the cached copy saved long ago.</summary>
    private void OldState()
    {
        string state = Path.Combine(host.State, "state.json");
        JsonObject root = JsonNode.Parse(File.ReadAllText(state))!.AsObject();
        root.Remove("confirmed");
        File.WriteAllText(state, root.ToJsonString());
        foreach (string copy in Directory.GetFiles(host.Cache, "v*.json", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.AddDays(-30));
        }
    }

    private static async Task<string?> ApplyingAsync(Process sync)
    {
        var clock = Stopwatch.StartNew();
        var staged = new HashSet<string>(StringComparer.Ordinal);
        while (!sync.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (ApplyIn(sync.Id, staged) is { } applying)
            {
                return applying;
            }

            await Task.Delay(1);
        }

        return null;
    }
}
