namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>--quiet</c> silences summaries, notes and advice, never a warning that rules were left out: a family the format
/// cannot hold, a host an allow-list cannot name, a destination of an agent's configuration no rule expresses.
/// </summary>
[TestFixture]
public class QuietLeftOutTests
{
    private static string Document => TestData.Path_("ip-ranges", "datadoghq.com-v59.json");

    [Test]
    public async Task GenerateIptablesQuiet_SaysTheIPv6PrefixesAreLeftOutAndNothingElse()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "iptables", "-i", Document, "-s", "agents", "-q");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("-A ").And.Not.Contain("::/"));
        Assert.That(result.Error, Is.EqualTo(
            "fwrules: warning: " +
                "iptables renders IPv4 only (the default --family for it): the IPv6 prefixes of agents are left out: render them with -f ip6tables or -f ip6tables-ipset; " +
            "for both in one output, use ipset or iptables-ipset-script or iptables-script\n"), "-q silenced that rules were left out, or kept the summary");
    }

    [Test]
    public async Task GenerateSquidQuiet_SaysTheSectionItCannotNameIsLeftOutAndNothingElse()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "squid", "--site", "us1", "--input", Document, "-q");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Some.EqualTo(
            "fwrules: warning: not rendered by name: egress-tcp-443: Datadog documents no host name for section 'global' on 443/tcp"));
        Assert.That(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.All.StartWith("fwrules: warning: " +
            "not rendered by name: "), "-q kept the summary or advice");
    }

    [Test]
    public async Task GenerateStrictQuiet_LeavingNothingOut_IsSilentAsBefore()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables-strict", "-i", Document, "-s", "agents", "-q");

        Assert.That((result.ExitCode, result.Error), Is.EqualTo((0, string.Empty)), "the format's advice (it drops other traffic) is silenced by -q");
    }

    [Test]
    public async Task GenerateHelmValuesQuiet_SaysTheListenerNoRuleExpressesAndSilencesTheAdvice()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "kubernetes", "--helm-values", TestData.Path_("agent", "helm-values.yaml"), "-q");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Contain("fwrules: warning: not rendered: dogstatsd listens on 0.0.0.0 (8125/udp)"));
        Assert.That(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.All.StartWith("fwrules: warning: not rendered"), "-q kept advice or notes");
    }

    [Test]
    public async Task SyncAgentConfigQuiet_SaysWhatItDoesNotLoad()
    {
        using var files = new TempFiles();
        string env = files.Write("environment", "DD_SITE=datadoghq.eu\n");

        ProcessResult result = await SyncStoppedByAnotherSitesStateAsync(files, "https://ip-ranges.datadoghq.com/", "--agent-env", env);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("fwrules: warning: " +
            "not loaded: ntp (123/udp to 0.datadog.pool.ntp.org) has no published addresses: give them with --open ntp=NETWORKS"),
            "-q silenced what the sync does not load");
    }

    [Test]
    public async Task SyncHelmValuesQuiet_SaysTheClusterAgentsConnectionsAreNotLoaded()
    {
        using var files = new TempFiles();

        ProcessResult result = await SyncStoppedByAnotherSitesStateAsync(files, "https://ip-ranges.datadoghq.eu/", "--helm-values", TestData.Path_("agent", "helm-values.yaml"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("fwrules: warning: " +
            "not loaded: the node agents' connections to the Cluster Agent (5005/tcp"), "the chart's Cluster Agent is on by default");
    }

    // A sync -q whose state is another site's (source): the run stops before the firewall, after saying what it does not load.
    private static Task<ProcessResult> SyncStoppedByAnotherSitesStateAsync(TempFiles files, string source, params string[] agent)
    {
        string state = Path.Combine(files.DirectoryPath, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, "state.json"), $"{{ \"source\": \"{source}\", \"published\": {{}} }}");
        return FwrulesInProcess.RunAsync(null, ["sync", "-f", "nftables", "--state", state, "--cache", Path.Combine(files.DirectoryPath, "cache"), .. agent, "-q"]);
    }
}
