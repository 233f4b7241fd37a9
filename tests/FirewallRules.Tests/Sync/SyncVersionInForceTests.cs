using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The version in force is visible after every run: a new version that changes no element is still applied, so the
/// kernel's comments, the state and the summary name it; a rule for every egress section keeps the version in its
/// comment (nft's 128 bytes), saying fewer sections instead.
/// </summary>
[TestFixture]
[Category("RealTools")]
public partial class SyncVersionInForceTests
{
    [Test]
    public async Task Sync_NewVersionChangingNoElement_CommentsStateAndSummaryNameTheNewVersion()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        string[] args = ["--format", "nftables", "--section", "logs"];
        (await host.SyncAsync(args)).Succeeded();
        host.Mirror.Serve(FetchTesting.Document(59));

        ToolResult run = await host.SyncAsync(args);
        ToolResult again = await host.SyncAsync(args);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Output, Does.StartWith("sync: applied ip-ranges version 59 ").And.Contain("(no element changed; the rules' comments and the state now name this version)"));
        Assert.That(host.NftRuleset(), Does.Contain("(ip-ranges v59)").And.Not.Contain("(ip-ranges v47)"));
        Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(host.State, "state.json")))!["applied"]!["version"]!.GetValue<long>(), Is.EqualTo(59));
        Assert.That(again.Output, Does.StartWith("sync: nothing to do: table inet datadog already holds ip-ranges version 59 "));
    }

    [Test]
    public async Task Sync_EveryEgressSection_EachRuleCommentEndsWithTheVersion()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");

        (await host.SyncAsync("--format", "nftables")).Succeeded();

        string[] comments = [.. Comment().Matches(host.NftRuleset()).Select(m => m.Groups[1].Value).Where(c => c.Contains("allow egress", StringComparison.Ordinal))];
        Assert.That(comments, Is.Not.Empty);
        Assert.That(comments, Has.All.EndsWith(" (ip-ranges v59)").And.All.Length.LessThanOrEqualTo(128));
        Assert.That(comments, Has.Some.Match(@" and \d+ more \(ip-ranges v59\)$"), "the 443 rule names fewer sections, not less version");
    }

    [GeneratedRegex("comment \"([^\"]*)\"")]
    private static partial Regex Comment();
}
