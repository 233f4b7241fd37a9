using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// One sync run with the clock ten years ahead (libfaketime: a bad real-time clock before NTP, a spoofed NTP answer), while the
/// upstream answers: no prefix is recorded as seen later than the upstream's Date header, one line says the clock is ahead, and once
/// the clock is right a prefix Datadog retires is dropped when <c>--keep-removed</c> has passed, not ten years later; an upstream
/// that sends no Date leaves the document's <c>modified</c> and the last Date an upstream sent as the bound, never the clock, and a
/// retired prefix that bound drops within its keep period is said in one line. And the
/// other way round, the clock right and one answer's Date ten years ahead (a hostile upstream or mirror, once): that Date is not
/// recorded, so a prefix retired later still leaves on time and <c>--max-stale</c> still holds once the upstream is gone.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class SyncClockAheadTests
{
    internal const string Retired = "52.94.1.1/32";
    private static readonly string[] Args = ["--format", "nftables", "--section", "logs", "--retries", "0", "--keep-removed", "1s"];

    [Test]
    public async Task Sync_OneRunWithTheClockTenYearsAhead_RecordsNoLastSeenTimePastTheUpstreamsDateAndTheGraceEndsOnTime()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "faketime");
        host.Mirror.Serve(Document(1001, withRetired: true));
        DateTimeOffset before = DateTimeOffset.UtcNow;

        ToolResult ahead = await Task.Run(() => host.Namespace.Exec("faketime", ["-f", "+3650d", host.Tool, "sync", .. host.Common, .. Args]));
        JsonNode state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.State, "state.json")))!;
        host.Mirror.Serve(Document(1002, withRetired: false));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        ToolResult right = await host.SyncAsync(Args);

        Assert.That(host.NftRuleset(), Does.Not.Contain("52.94.1.1"), "the retired prefix outlived --keep-removed");
        Assert.That(ahead.ExitCode, Is.Zero, ahead.Error);
        Assert.That(ahead.Output, Does.StartWith("sync: applied ip-ranges version 1001 "));
        Assert.That(ahead.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), ahead.Error);
        Assert.That(ahead.Error, Does.StartWith($"fwrules: warning: this host's clock ({before.AddDays(3650):yyyy-MM-dd}").And.Contain(
            "is ahead of the upstream's Date header (").And.Contain("set the clock (NTP)"));
        string[] recorded = [.. Times(state)];
        Assert.That(recorded, Is.Not.Empty);
        Assert.That(recorded.Select(DateTimeOffset.Parse), Has.All.LessThan(DateTimeOffset.UtcNow.AddMinutes(1)), "a time past the upstream's was recorded");
        Assert.That(right.ExitCode, Is.Zero, right.Error);
        Assert.That(right.Error, Is.Empty, "the clock is right: nothing to say");
        Assert.That(right.Output, Does.StartWith("sync: applied ip-ranges version 1002 ").And.Not.Contain("kept"));
    }

    [Test]
    public async Task Sync_OneRunWithTheClockAheadAndAnUpstreamWithoutADate_KeepsARetiredPrefixNoLongerThanTheKeepPeriod()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "faketime");
        using Socket listener = LoopbackKestrel.Listen(host.Namespace.CreateSocket);
        byte[] served = Document(1001, withRetired: true);
        using var stop = new CancellationTokenSource();
        Task answering = AnswerWithoutDateAsync(listener, () => served, stop.Token);
        string[] common = ["--base-url", $"http://{listener.LocalEndPoint}/", "--cache", host.Cache, "--state", host.State];

        ToolResult ahead = await Task.Run(() => host.Namespace.Exec("faketime", ["-f", "+3650d", host.Tool, "sync", .. common, .. Args]));
        served = Document(1002, withRetired: false);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        ToolResult right = await host.RunAsync(null, ["sync", .. common, .. Args]);
        await stop.CancelAsync();
        await answering;

        Assert.That(ahead.ExitCode, Is.Zero, ahead.Error);
        Assert.That(ahead.Output, Does.StartWith("sync: applied ip-ranges version 1001 "));
        Assert.That(right.ExitCode, Is.Zero, right.Error);
        Assert.That(right.Output, Does.StartWith("sync: applied ip-ranges version 1002 ").And.Not.Contain("kept"));
        Assert.That(host.NftRuleset(), Does.Not.Contain("52.94.1.1"), "a run with the clock ahead and no Date to bound it kept the retired prefix for years");
        Assert.That(right.Error, Does.StartWith("fwrules: warning: the upstream sent no Date header").And.Contain("the grace of 1 retired prefix"));
    }

    [Test]
    public async Task Sync_TheClockRightAndAnUpstreamWithoutADate_DropsARetiredPrefixWithinItsKeepPeriod_AndSaysWhyInOneLine()
    {
        // Nothing vouches for the clock, so no last sighting past the document's modified is honoured (the clock may be ahead):
        // failing closed is right, failing closed without a word is not, or --keep-removed is void and no one knows.
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        using Socket listener = LoopbackKestrel.Listen(host.Namespace.CreateSocket);
        byte[] served = Document(1001, withRetired: true);
        using var stop = new CancellationTokenSource();
        Task answering = AnswerWithoutDateAsync(listener, () => served, stop.Token);
        string[] common = ["--base-url", $"http://{listener.LocalEndPoint}/", "--cache", host.Cache, "--state", host.State, .. Args[..^1], "1h"];

        ToolResult first = await host.RunAsync(null, ["sync", .. common]);
        served = Document(1002, withRetired: false);
        ToolResult second = await host.RunAsync(null, ["sync", .. common]);
        await stop.CancelAsync();
        await answering;

        Assert.That((first.ExitCode, first.Error), Is.EqualTo((0, string.Empty)));
        Assert.That(second.ExitCode, Is.Zero, second.Error);
        Assert.That(host.NftRuleset(), Does.Not.Contain("52.94.1.1"), "a sighting no Date vouched for was honoured");
        Assert.That(second.Error, Is.EqualTo(
            "fwrules: warning: the upstream sent no Date header, so this host's clock could not be vouched for: the grace of 1 retired prefix could not be " +
            "honoured past 2024-10-17 00:00:00Z (the document's modified), and it was dropped before the keep period ended; have the upstream " +
            "(or a proxy before it) send a Date header\n"));
    }

    [Test]
    public async Task Sync_AfterARunWithTheClockAheadAndNoDate_TheCachedCopysAgeCountsFromAVouchedTime_NotFromThatRun()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "faketime");
        Socket listener = LoopbackKestrel.Listen(host.Namespace.CreateSocket);
        using var stop = new CancellationTokenSource();
        Task answering = AnswerWithoutDateAsync(listener, () => Document(1001, withRetired: false), stop.Token);
        string[] common = ["--base-url", $"http://{listener.LocalEndPoint}/", "--cache", host.Cache, "--state", host.State];

        ToolResult ahead = await Task.Run(() => host.Namespace.Exec("faketime", ["-f", "+3650d", host.Tool, "sync", .. common, .. Args]));
        await stop.CancelAsync();
        await answering;
        listener.Dispose();
        await Task.Delay(TimeSpan.FromSeconds(3));
        ToolResult dead = await host.RunAsync(null, ["sync", .. common, .. Args, "--max-stale", "2s"]);

        Assert.That(ahead.ExitCode, Is.Zero, ahead.Error);
        Assert.That(dead.ExitCode, Is.EqualTo(3),
            "a confirmation the clock alone wrote ten years ahead made a copy older than --max-stale count as fresh: " + dead.Output + dead.Error);
        Assert.That(dead.Error, Does.Contain("nothing was loaded, the firewall was left as it was"));
    }

    [Test]
    public async Task Sync_OneAnswerWithADateYearsAhead_RecordsNoTimePastTheClock_SoARetiredPrefixLeavesAndMaxStaleHoldsOnceTheUpstreamIsGone()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        Socket listener = LoopbackKestrel.Listen(host.Namespace.CreateSocket);
        byte[] served = Document(1001, withRetired: true);
        DateTimeOffset ahead = DateTimeOffset.UtcNow.AddDays(3650);
        DateTimeOffset? forged = ahead;
        using var stop = new CancellationTokenSource();
        Task answering = AnswerAsync(listener, () => served, () => forged, stop.Token);
        string[] common = ["--base-url", $"http://{listener.LocalEndPoint}/", "--cache", host.Cache, "--state", host.State];

        ToolResult dated = await host.RunAsync(null, ["sync", .. common, .. Args]);
        JsonNode state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.State, "state.json")))!;
        (served, forged) = (Document(1002, withRetired: false), null);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        ToolResult undated = await host.RunAsync(null, ["sync", .. common, .. Args]);
        string ruleset = host.NftRuleset();
        await stop.CancelAsync();
        await answering;
        listener.Dispose();
        await Task.Delay(TimeSpan.FromSeconds(3));
        ToolResult gone = await host.RunAsync(null, ["sync", .. common, .. Args, "--max-stale", "2s"]);

        Assert.That(dated.ExitCode, Is.Zero, dated.Error);
        Assert.That(dated.Error, Does.StartWith($"fwrules: warning: the upstream's Date header ({ahead:yyyy-MM-dd}")
            .And.Contain("is ahead of this host's clock").And.Contain("set it (NTP)"));
        Assert.That(dated.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), dated.Error);
        Assert.That(Times(state).Select(DateTimeOffset.Parse), Has.All.LessThan(DateTimeOffset.UtcNow.AddMinutes(1)), "the upstream's Date years ahead was recorded");
        Assert.That(undated.ExitCode, Is.Zero, undated.Error);
        Assert.That(ruleset, Does.Not.Contain("52.94.1.1"), "a retired prefix outlived --keep-removed 1s: its last sighting was recorded at the forged Date");
        Assert.That(gone.ExitCode, Is.EqualTo(3), "the copy was last confirmed longer than --max-stale ago, yet counted as fresh: " + gone.Error);
        Assert.That(gone.Error, Does.Contain("nothing was loaded, the firewall was left as it was"));
    }

    /// <summary>A bare HTTP/1.1 responder (Kestrel always sends a Date): every request gets the document, with no Date header.</summary>
    private static Task AnswerWithoutDateAsync(Socket listener, Func<byte[]> document, CancellationToken cancellationToken) =>
        AnswerAsync(listener, document, () => null, cancellationToken);

    /// <summary>The same, with the Date header <paramref name="date"/> gives when it gives one.</summary>
    internal static async Task AnswerAsync(Socket listener, Func<byte[]> document, Func<DateTimeOffset?> date, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using (client)
            {
                var buffer = new byte[16384];
                int read = 0;
                while (read < buffer.Length && !Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    int n = await client.ReceiveAsync(buffer.AsMemory(read), cancellationToken);
                    read += n > 0 ? n : buffer.Length;
                }

                byte[] body = document();
                string dated = date() is { } at ? $"Date: {at:R}\r\n" : "";
                byte[] head = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\n{dated}Content-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await client.SendAsync(head.Concat(body).ToArray(), cancellationToken);
                client.Shutdown(SocketShutdown.Both);
            }
        }
    }

    /// <summary>The v59 document as <paramref name="version"/>, with one more logs prefix when <paramref name="withRetired"/>.</summary>
    internal static byte[] Document(int version, bool withRetired) => DocumentEdits.Edit(59, root =>
    {
        root["version"] = version;
        if (withRetired)
        {
            root["logs"]!["prefixes_ipv4"]!.AsArray().Add(Retired);
        }
    });

    /// <summary>Every time the state records: each prefix's last sighting and the last confirmation.</summary>
    internal static IEnumerable<string> Times(JsonNode state)
    {
        foreach (JsonNode? section in state["published"]?.AsObject().Select(s => s.Value) ?? [])
        {
            foreach (KeyValuePair<string, JsonNode?> prefix in section!.AsObject())
            {
                yield return prefix.Value!.GetValue<string>();
            }
        }

        if (state["confirmed"]?.GetValue<string>() is string confirmed)
        {
            yield return confirmed;
        }
    }
}
