using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// <c>fwrules sync --agent-config</c> in a throwaway network namespace: the kernel holds exactly the ports and listeners
/// <c>generate</c> renders from the same configuration, not each section's documented ports.
/// </summary>
[TestFixture]
[Category("RealTools")]
public partial class AgentConfigSyncKernelTests
{
    // Network Performance Monitoring runs the process agent (never in the core agent): its debug servers are listeners.
    private const string Config =
        "logs_enabled: true\nlogs_config:\n  force_use_tcp: true\napm_config:\n  enabled: false\ndogstatsd_port: 8200\nnetwork_config:\n  enabled: true\n";

    [Test]
    public async Task Sync_AgentConfig_LoadsTheSamePortsAndListenersAsGenerate()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        string config = Path.Combine(host.Directory, "datadog.yaml");
        await File.WriteAllTextAsync(config, Config);

        ToolResult synced = await host.SyncAsync("--format", "nftables", "--agent-config", config);
        Assert.That(synced.ExitCode, Is.Zero, synced.Error);
        string kernel = host.NftRuleset();

        ProcessResult generated = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"),
            "--agent-config", config);
        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        host.Namespace.ExecWithInput(generated.Output, "nft", "-f", "-").Succeeded();
        string fromGenerate = host.NftRuleset();

        Assert.That(Ports(kernel), Is.EqualTo(Ports(fromGenerate)), "the same directions and ports as generate");
        Assert.That(Ports(kernel), Is.EquivalentTo(new[]
        {
            "daddr tcp 443", "daddr tcp 8042", "daddr tcp 10516", "saddr tcp 5000", "saddr tcp 5001", "saddr tcp 6062", "saddr tcp 6162", "saddr udp 8200",
        }), "logs on 10516 only, no trace receiver, DogStatsD on its configured port, the process agent's debug servers");
        Assert.That(kernel, Does.Not.Contain("dport 8126").And.Not.Contain("dport 8125"));
    }

    [Test]
    public async Task Sync_AgentConfig_FlippingAFeatureChangesTheLoadedListeners()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        string config = Path.Combine(host.Directory, "datadog.yaml");
        await File.WriteAllTextAsync(config, Config);
        Assert.That((await host.SyncAsync("--format", "nftables", "--agent-config", config)).ExitCode, Is.Zero);

        await File.WriteAllTextAsync(config, Config.Replace("dogstatsd_port: 8200\n", "use_dogstatsd: false\n", StringComparison.Ordinal));
        ToolResult again = await host.SyncAsync("--format", "nftables", "--agent-config", config);

        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(Ports(host.NftRuleset()), Does.Not.Contain("saddr udp 8200").And.Contain("daddr tcp 10516"));
    }

    [Test]
    public async Task Sync_AgentThroughANamedProxyWithoutItsAddress_RefusedAsGenerateRefusesAndTouchesNothing()
    {
        // Logs over TCP go direct, everything else through the proxy: loaded without the proxy, the rules cut the agent off from it.
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        string config = Path.Combine(host.Directory, "datadog.yaml");
        await File.WriteAllTextAsync(config, "logs_enabled: true\nlogs_config:\n  force_use_tcp: true\nproxy:\n  https: http://proxy.internal:3128\n");
        string before = host.NftRuleset();

        ToolResult refused = await host.SyncAsync("--format", "nftables", "--agent-config", config);
        ProcessResult generate = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-config", config);

        Assert.That((refused.ExitCode, refused.Output), Is.EqualTo((2, string.Empty)), refused.Error);
        Assert.That(refused.Error, Is.EqualTo("fwrules: the agent sends its traffic through the proxy proxy.internal:3128, a host name nftables cannot hold, " +
            "and without it the rules cut the agent off from its proxy: give the proxy's addresses with --open proxy=CIDR\n"));
        Assert.That((generate.ExitCode, generate.Error), Is.EqualTo((2, refused.Error)), "the same decision and line as generate");
        Assert.That(host.NftRuleset(), Is.EqualTo(before), "nothing loaded");
        Assert.That(Directory.Exists(host.State), Is.False, "no state written");

        ToolResult given = await host.SyncAsync("--format", "nftables", "--agent-config", config, "--open", "proxy=10.9.9.9/32");
        Assert.That(given.ExitCode, Is.Zero, given.Error);
        Assert.That(host.NftRuleset(), Does.Contain("10.9.9.9").And.Contain("dport 3128"), "with its address, the proxy is allowed beside the logs");
    }

    [Test]
    public async Task Sync_AgentEverythingThroughAProxyWithItsAddress_ExitsTwoInOneLineAndTouchesNothingWhileGenerateRendersTheRule()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        string config = Path.Combine(host.Directory, "proxyhost.yaml");
        await File.WriteAllTextAsync(config, "proxy:\n  https: http://proxy.internal:3128\n  http: http://proxy.internal:3128\n");
        string before = host.NftRuleset();

        ToolResult named = await host.SyncAsync("--format", "nftables", "--agent-config", config);
        ToolResult given = await host.SyncAsync("--format", "nftables", "--agent-config", config, "--open", "proxy=10.0.0.5/32");
        ProcessResult generated = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-config", config, "--open", "proxy=10.0.0.5/32");

        Assert.That((named.ExitCode, named.Output, given.ExitCode, given.Output), Is.EqualTo((2, string.Empty, 2, string.Empty)), named.Error + given.Error);
        Assert.That(named.Error, Does.Contain("--open proxy=CIDR renders it, as a host name nftables cannot hold").And.Not.Contain("   at "));
        Assert.That(given.Error, Is.EqualTo("fwrules: with this configuration the agent reaches Datadog only through its proxy proxy.internal:3128, so sync has no " +
            "Datadog range to keep in step: the rule toward the proxy does not change with the ranges, so load it once (fwrules generate -f nftables " +
            "--agent-config ... renders it) and give the proxy its allow-list (fwrules plan --agent-config ... --allow-list squid)\n"));
        Assert.That(host.NftRuleset(), Is.EqualTo(before), "nothing loaded");
        Assert.That(Directory.Exists(host.State), Is.False, "no state written");
        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        host.Namespace.ExecWithInput(generated.Output, "nft", "-f", "-").Succeeded();
        Assert.That(host.NftRuleset(), Does.Contain("10.0.0.5").And.Contain("dport 3128"), "what the line points to loads the agent's rule to its proxy");
    }

    // "ip daddr @x tcp dport 443 accept" and "... tcp dport 5001 ..." as "daddr tcp 443": direction (by the address
    // matched), protocol and port of each rule.
    private static string[] Ports(string ruleset) =>
        [.. RuleLine().Matches(ruleset).Select(m => $"{m.Groups["dir"].Value} {m.Groups["proto"].Value} {m.Groups["port"].Value}").Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"(?<dir>saddr|daddr) [^\n]*?(?<proto>tcp|udp) dport (?<port>\d+)")]
    private static partial Regex RuleLine();
}
