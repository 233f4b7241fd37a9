using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// One sync run with the clock ten years ahead (libfaketime: a bad real-time clock before NTP, a spoofed NTP answer), while the
/// upstream answers: no prefix is recorded as seen later than the upstream's Date header, one line says the clock is ahead, and once
/// the clock is right a prefix Datadog retires is dropped when <c>--keep-removed</c> has passed, not ten years later.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class SyncClockAheadTests
{
    private const string Retired = "52.94.1.1/32";
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
        Assert.That(ahead.Error, Does.StartWith($"warning: this host's clock ({before.AddDays(3650):yyyy-MM-dd}").And.Contain(
            "is ahead of the upstream's Date header (").And.Contain("set the clock (NTP)"));
        string[] recorded = [.. Times(state)];
        Assert.That(recorded, Is.Not.Empty);
        Assert.That(recorded.Select(DateTimeOffset.Parse), Has.All.LessThan(DateTimeOffset.UtcNow.AddMinutes(1)), "a time past the upstream's was recorded");
        Assert.That(right.ExitCode, Is.Zero, right.Error);
        Assert.That(right.Error, Is.Empty, "the clock is right: nothing to say");
        Assert.That(right.Output, Does.StartWith("sync: applied ip-ranges version 1002 ").And.Not.Contain("kept"));
    }

    /// <summary>The v59 document as <paramref name="version"/>, with one more logs prefix when <paramref name="withRetired"/>.</summary>
    private static byte[] Document(int version, bool withRetired) => DocumentEdits.Edit(59, root =>
    {
        root["version"] = version;
        if (withRetired)
        {
            root["logs"]!["prefixes_ipv4"]!.AsArray().Add(Retired);
        }
    });

    /// <summary>Every time the state records: each prefix's last sighting and the last confirmation.</summary>
    private static IEnumerable<string> Times(JsonNode state)
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
