using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A host's first sync, with an empty cache, vets the upstream's document against the snapshot shipped in fwrules as every later
/// one is vetted against the last: a first document adding public /8s to agents is refused and nothing is loaded, and Datadog's real
/// next version is then applied (not refused as a shrink of the /8s). A later refusal, with a vetted copy in force, exits with a
/// status the shipped systemd unit does not count as success.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed partial class SyncFirstDocumentTests
{
    private static readonly string[] Args = ["--format", "nftables", "--section", "agents", "--section", "logs", "--retries", "0"];

    [Test]
    public async Task Sync_EmptyCacheHostileFirstDocument_RefusedThenTheRealNextVersionApplied_ALaterRefusalFailsTheUnit()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        host.Mirror.Serve(WithSlash8sInAgents(60));

        ToolResult first = await host.SyncAsync(Args);
        string kernelAfterFirst = host.NftRuleset();
        host.Mirror.Serve(DocumentEdits.Edit(59, root => root["version"] = 61));
        ToolResult genuine = await host.SyncAsync(Args);
        host.Mirror.Serve(WithSlash8sInAgents(62));
        ToolResult later = await host.SyncAsync(Args);

        Assert.That(first.ExitCode, Is.EqualTo(1), first.Output + first.Error);
        Assert.That(first.Error, Does.StartWith("fwrules: refused ip-ranges version 60 for ").And.Contain(
            "compared with version 59 (the snapshot shipped in the library; the cache holds none), agents IPv4: 4096 to ").And.Contain("the firewall was left as it was"));
        Assert.That(kernelAfterFirst, Does.Not.Contain("table inet datadog"), "the refused first document loaded nothing");
        Assert.That(genuine.ExitCode, Is.Zero, genuine.Error);
        Assert.That(genuine.Output, Does.StartWith("sync: applied ip-ranges version 61 "));
        Assert.That(host.NftRuleset(), Does.Not.Contain("3.0.0.0/8").And.Not.Contain("52.0.0.0/8"));
        Assert.That(later.Error, Does.StartWith("fwrules: sync: refused ip-ranges version 62 ").And.Contain("; kept the cached ip-ranges version 61 instead"));
        Assert.That(later.ExitCode, Is.Not.Zero.And.Not.AnyOf(SuccessExitStatus()), "the unit would count the refusal as success");
    }

    /// <summary>The v59 document as <paramref name="version"/>, with 3.0.0.0/8, 52.0.0.0/8 and 54.0.0.0/8 added to agents.</summary>
    internal static byte[] WithSlash8sInAgents(int version) => DocumentEdits.Edit(59, root =>
    {
        root["version"] = version;
        JsonArray agents = root["agents"]!["prefixes_ipv4"]!.AsArray();
        foreach (string block in new[] { "3.0.0.0/8", "52.0.0.0/8", "54.0.0.0/8" })
        {
            agents.Add(block);
        }
    });

    /// <summary>The exit statuses the shipped fwrules-sync.service counts as success: 0 and its SuccessExitStatus= values.</summary>
    internal static int[] SuccessExitStatus()
    {
        string unit = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "deploy", "systemd", "fwrules-sync.service"));
        return [0, .. SuccessLine().Matches(unit).SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse)];
    }

    [GeneratedRegex(@"^SuccessExitStatus=(.*)$", RegexOptions.Multiline)]
    private static partial Regex SuccessLine();
}
