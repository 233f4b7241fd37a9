using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using static FirewallRules.Tests.Sync.SyncClockAheadTests;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A clock shown to be behind is no licence for any Date (libfaketime, a real <c>fwrules sync</c> into nftables in a namespace, a bare
/// upstream that answers with the Date each test chooses). A run with the clock four minutes fast (within the tolerance) and NTP then
/// stepping it back does not make a hostile Date of 2040 count as proof that the clock is behind; a clock reset before the shipped
/// snapshot takes such a Date as at most a day past what was vouched for, and still lets a retired prefix go with an honest one. And a
/// state that vouches for a time years ahead (written by hand) is not "now" for ever: offline runs count the clock's time since it was
/// first found ahead, so a retired prefix leaves after <c>--keep-removed</c> and <c>--max-stale</c> is reached (exit 3).
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class SyncClockBehindTests
{
    private static readonly DateTimeOffset Hostile = new(2040, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Args = ["--format", "nftables", "--section", "logs", "--retries", "0", "--keep-removed", "1s"];

    [Test]
    public async Task Sync_AClockFourMinutesFastThenSetBack_TakesNoHostileDate_SoARetiredPrefixLeavesAndMaxStaleHolds()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "faketime");
        await using Upstream upstream = Upstream.Start(host, Document(1001, withRetired: true));

        ToolResult fast = await Task.Run(() => host.Namespace.Exec("faketime", ["-f", "+4m", host.Tool, "sync", .. upstream.Common, .. Args]));
        upstream.Date = () => Hostile;
        ToolResult hostile = await host.RunAsync(null, ["sync", .. upstream.Common, .. Args]);
        JsonNode state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.State, "state.json")))!;
        (upstream.Served, upstream.Date) = (Document(1002, withRetired: false), () => null);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        ToolResult undated = await host.RunAsync(null, ["sync", .. upstream.Common, .. Args]);
        string ruleset = host.NftRuleset();
        await upstream.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        ToolResult gone = await host.RunAsync(null, ["sync", .. upstream.Common, .. Args, "--max-stale", "2s"]);

        Assert.That((fast.ExitCode, fast.Error), Is.EqualTo((0, string.Empty)), "four minutes fast is within the tolerance");
        Assert.That(hostile.ExitCode, Is.Zero, hostile.Error);
        Assert.That(hostile.Error, Does.StartWith("fwrules: warning: the upstream's Date header (2040-01-01 00:00:00Z) is ahead of this host's clock"));
        Assert.That(Times(state).Select(DateTimeOffset.Parse), Has.All.LessThan(DateTimeOffset.UtcNow.AddMinutes(5)), "the hostile Date was recorded");
        Assert.That(undated.ExitCode, Is.Zero, undated.Error);
        Assert.That(ruleset, Does.Not.Contain("52.94.1.1"), "the retired prefix outlived --keep-removed 1s: its last sighting was recorded as 2040");
        Assert.That(gone.ExitCode, Is.EqualTo(3), "the copy was last confirmed longer than --max-stale ago, yet counted as fresh: " + gone.Error);
    }

    [Test]
    public async Task Sync_AClockResetBeforeTheShippedSnapshot_CountsADateYearsAheadAsAtMostADayPastIt_SoARetiredPrefixStillLeaves()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "faketime");
        await using Upstream upstream = Upstream.Start(host, Document(1001, withRetired: true));
        upstream.Date = () => Hostile;

        ToolResult reset = await Task.Run(() => host.Namespace.Exec("faketime", ["-f", "@2020-01-01 00:00:00", host.Tool, "sync", .. upstream.Common, .. Args]));
        JsonNode state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.State, "state.json")))!;
        (upstream.Served, upstream.Date) = (Document(1002, withRetired: false), () => null);
        ToolResult right = await host.RunAsync(null, ["sync", .. upstream.Common, .. Args]);

        Assert.That(reset.ExitCode, Is.Zero, reset.Error);
        Assert.That(reset.Error, Does.StartWith("fwrules: warning: the upstream's Date header (2040-01-01 00:00:00Z) is more than 1d0h past the last time vouched for")
            .And.Contain("2024-10-18 00:00:00Z is recorded"));
        Assert.That(Times(state).Select(DateTimeOffset.Parse), Has.All.LessThanOrEqualTo(new DateTimeOffset(2024, 10, 18, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(right.ExitCode, Is.Zero, right.Error);
        Assert.That(host.NftRuleset(), Does.Not.Contain("52.94.1.1"), "a Date of 2040 taken on a reset clock kept the retired prefix");
    }

    [Test]
    public async Task Sync_AClockResetAndAnHonestDate_StillCountsTheUpstreamsTime_SoARetiredPrefixLeaves()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "faketime");
        await using Upstream upstream = Upstream.Start(host, Document(1001, withRetired: true));
        (await host.RunAsync(null, ["sync", .. upstream.Common, .. Args])).Succeeded();
        upstream.Served = Document(1002, withRetired: false);
        // Past --keep-removed 1s in the Date header's whole seconds: 1.5 s could read as 1 s (10.1 to 11.6), still within it.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        ToolResult reset = await Task.Run(() => host.Namespace.Exec("faketime", ["-f", "@1970-01-02 00:00:00", host.Tool, "sync", .. upstream.Common, .. Args]));

        Assert.That((reset.ExitCode, reset.Error), Is.EqualTo((0, string.Empty)), "an honest Date on a clock behind the last one vouched for");
        Assert.That(host.NftRuleset(), Does.Not.Contain("52.94.1.1"), "a clock reset to 1970 kept the retired prefix");
    }

    [Test]
    public async Task SyncOffline_StateVouchingForATimeYearsAhead_CountsTheClocksTimeSince_SoARetiredPrefixLeavesAndMaxStaleIsReached()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "faketime");
        string[] args = [.. Args[..^1], "1h", "--max-stale", "7d"];
        string[] offline;
        await using (Upstream upstream = Upstream.Start(host, Document(1001, withRetired: true)))
        {
            (await host.RunAsync(null, ["sync", .. upstream.Common, .. args])).Succeeded();
            upstream.Served = Document(1002, withRetired: false);
            (await host.RunAsync(null, ["sync", .. upstream.Common, .. args])).Succeeded();
            offline = ["sync", .. upstream.Common, "--offline", .. args];
        }

        Assert.That(host.NftRuleset(), Does.Contain("52.94.1.1"), "within --keep-removed 1h");
        VouchFor(host, Hostile);

        ToolResult first = await host.RunAsync(null, offline);
        ToolResult later = await Task.Run(() => host.Namespace.Exec("faketime", ["-f", "+2h", host.Tool, .. offline]));
        string ruleset = host.NftRuleset();
        ToolResult stale = await Task.Run(() => host.Namespace.Exec("faketime", ["-f", "+8d", host.Tool, .. offline]));

        Assert.That(first.ExitCode, Is.Zero, first.Error);
        Assert.That(first.Error, Does.Match(@"^fwrules: warning: this host's clock \(\S+ \S+Z\) is behind the time the cached ip-ranges version 1002 was last " +
            @"confirmed \(2040-01-01 00:00:00Z\): it counts as confirmed now, .*\n$"));
        Assert.That(later.ExitCode, Is.Zero, later.Error);
        Assert.That(later.Error, Does.Contain("it counts as confirmed 2h0m ago (the time the clock has run since it was first found behind)"));
        Assert.That(ruleset, Does.Not.Contain("52.94.1.1"), "a last sighting written as 2040 kept a retired prefix past --keep-removed 1h");
        Assert.That(stale.ExitCode, Is.EqualTo(3), "a confirmation written as 2040 held off --max-stale 7d: " + stale.Error);
        Assert.That(stale.Error, Does.Contain("nothing was loaded, the firewall was left as it was"));
    }

    /// <summary>Writes <paramref name="at"/> as the state's confirmed and vouched time and every last sighting (a hand-edited state).</summary>
    private static void VouchFor(SyncHost host, DateTimeOffset at)
    {
        string path = Path.Combine(host.State, "state.json");
        JsonObject state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        string time = at.ToString("O", CultureInfo.InvariantCulture);
        (state["confirmed"], state["vouched"]) = (time, time);
        foreach ((_, JsonNode? section) in state["published"]!.AsObject())
        {
            foreach (string prefix in section!.AsObject().Select(entry => entry.Key).ToArray())
            {
                section[prefix] = time;
            }
        }

        File.WriteAllText(path, state.ToJsonString());
    }

    /// <summary>A bare upstream in the host's namespace: <see cref="Served"/> with the Date <see cref="Date"/> gives (the test's own clock by default).</summary>
    private sealed class Upstream : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly CancellationTokenSource _stop = new();
        private Task _answering = Task.CompletedTask;

        private Upstream(SyncHost host, byte[] served)
        {
            _listener = LoopbackKestrel.Listen(host.Namespace.CreateSocket);
            Served = served;
            Common = ["--base-url", $"http://{_listener.LocalEndPoint}/", "--cache", host.Cache, "--state", host.State];
        }

        public byte[] Served { get; set; }

        public Func<DateTimeOffset?> Date { get; set; } = () => DateTimeOffset.UtcNow;

        public string[] Common { get; }

        public static Upstream Start(SyncHost host, byte[] served)
        {
            var upstream = new Upstream(host, served);
            upstream._answering = AnswerAsync(upstream._listener, () => upstream.Served, () => upstream.Date(), upstream._stop.Token);
            return upstream;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
                await _answering;
                _listener.Dispose();
            }

            _stop.Dispose();
        }
    }
}
