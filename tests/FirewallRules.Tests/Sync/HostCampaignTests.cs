using System.Globalization;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The host fault campaign (<see cref="HostCampaign"/>) at CI size: a fixed seed and 18 events per format, dealt from a
/// shuffled deck holding each of the 18 picks once (every event kind once per format, three times over the three): the
/// smallest size at which every rule the mutation patches break still fails it. The three formats play at once, each on a
/// host and an intake of its own: a format's connection checks are mostly waits, which the others' syncs fill, so the three
/// take about as long as the slowest one.
/// A long run (events drawn at random) sets <c>FWRULES_CAMPAIGN_SEED</c> and <c>FWRULES_CAMPAIGN_EVENTS</c>, and may set <c>FWRULES_CAMPAIGN_SECONDS</c> (a
/// time budget per format: a format stops after the event under way), <c>FWRULES_CAMPAIGN_LOG</c> (a file each event
/// is appended to) and <c>FWRULES_CAMPAIGN_FORMATS</c> (the formats to play, comma-separated) (tests/campaigns/host-campaign.sh).
/// A campaign stops after the event of its first lapse and fails with the seed, that event's index and the command that
/// replays the campaign up to it (<c>FWRULES_CAMPAIGN_UNTIL</c>: stop after that event index).
/// </summary>
[TestFixture]
[Category("RealTools")]
[NonParallelizable]
public class HostCampaignTests
{
    [Test]
    public async Task Campaign_RandomFaultsOverAHost_NoLapseInAnyFormat()
    {
        string[] formats = Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_FORMATS") is { Length: > 0 } chosen
            ? chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : HostCampaign.Formats;
        Assert.That(formats, Is.SubsetOf(HostCampaign.Formats), "FWRULES_CAMPAIGN_FORMATS names the campaign's formats");

        // Each campaign blocks pool threads while its tools run (the syncs, nft, ip): with three at once on two cores, the
        // pool's slow growth must not be what holds a probe's connection past its window, so it starts with enough.
        ThreadPool.GetMinThreads(out int workers, out int completions);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), completions);
        Task<string?>[] plays = [.. formats.Select(PlayAsync)];
        try
        {
            // Every format to its end, whatever another's ends in: one format's exception must not hide another's lapses.
            await ((Task)Task.WhenAll(plays)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, completions);
        }

        string[] failed = [.. plays.Select((play, i) => play.IsFaulted ? $"{formats[i]}: {play.Exception!.GetBaseException()}" : play.Result).OfType<string>()];
        Assert.That(failed, Is.Empty, string.Join("\n\n", failed));
    }

    // One format's campaign on a host and an intake of its own: its summary line, and what failed (null: no lapse).
    private static async Task<string?> PlayAsync(string format)
    {
        int seed = Setting("FWRULES_CAMPAIGN_SEED", 20261125);
        string? longRun = Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_EVENTS");
        int events = Setting("FWRULES_CAMPAIGN_EVENTS", HostCampaign.Picks);
        int? until = Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_UNTIL") is null ? null : Setting("FWRULES_CAMPAIGN_UNTIL", 0);
        await using SyncHost host = await SyncHost.StartAsync(46, "nft", "ipset", "setsid", "kill", "sysctl", "unshare", "stdbuf");
        using NetworkNamespace intake = NetworkNamespace.Create();
        var campaign = new HostCampaign(format, seed, host, intake, IptablesShim.Path(host.Directory));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await campaign.ConnectAsync();
            string? seconds = Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_SECONDS");
            await campaign.PlayAsync(events, seconds is null ? null : TimeSpan.FromSeconds(Setting("FWRULES_CAMPAIGN_SECONDS", 0)),
                Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_LOG"), dealt: longRun is null, until);
        }
        finally
        {
            campaign.DisposeSockets();
        }

        string summary = string.Create(CultureInfo.InvariantCulture,
            $"campaign {format} seed {seed} ({campaign.Drawn}): {campaign.Played.Count} events, {campaign.Connections} connections, " +
                $"{campaign.Lapses.Count} lapses, {campaign.Played.Count(e => e.Contains(" kill -9 during the apply ", StringComparison.Ordinal))} kills " +
                $"during an apply, {clock.Elapsed.TotalSeconds:0} s");
        TestContext.Out.WriteLine(summary);
        if (campaign.Lapses.Count == 0)
        {
            return null;
        }

        string replay = $"FWRULES_CAMPAIGN_SEED={seed} FWRULES_CAMPAIGN_FORMATS={format} FWRULES_CAMPAIGN_UNTIL={campaign.FirstLapse}" +
            (longRun is null ? string.Empty : $" FWRULES_CAMPAIGN_EVENTS={longRun}") +
            " CI=true dotnet test -c Release --no-build tests/FirewallRules.Tests --filter \"FullyQualifiedName~HostCampaignTests\"";
        return $"{summary}\nfirst lapse at event {(campaign.FirstLapse < 0 ? "the first sync" : $"#{campaign.FirstLapse}")}; replay it: {replay}\n" +
            $"lapses:\n  {string.Join("\n  ", campaign.Lapses)}\nevents (seed {seed}):\n  {string.Join("\n  ", campaign.Played)}";
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
