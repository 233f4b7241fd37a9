using System.Globalization;
using System.Text.RegularExpressions;
using FirewallRules.AgentConfig;
using FirewallRules.Tests.AgentConfig;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// What an operator reads of <c>plan</c> and of the allow-list formats: destinations counted once per host and port, the
/// allow-list's warnings before its summary and one line per host, and Cilium's <c>--by-name</c> with no document at all.
/// </summary>
[TestFixture]
public partial class PlanAllowListCommandTests
{
    [GeneratedRegex(@"plan: agent \S+ on .*?: (\d+) destinations")]
    private static partial Regex Count();

    [Test]
    public async Task Plan_DualShippingWithTelemetry_CountsEachHostAndPortOnce()
    {
        using var files = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", files.Write("dual.yaml", SharedDestinationTests.Dual));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string[] rows = [.. result.Output.Split('\n').Where(l => l.Contains("instrumentation-telemetry-intake.", StringComparison.Ordinal))];
        Assert.That(rows, Has.Length.EqualTo(1).And.All.StartsWith("apm-telemetry+agent-telemetry "));
        AgentPlan plan = AgentConfiguration.Parse(SharedDestinationTests.Dual);
        int counted = int.Parse(Count().Match(result.Error).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(counted, Is.EqualTo(plan.Destinations.Select(d => (d.HostName, d.Port)).Distinct().Count()));
    }

    [Test]
    public async Task GenerateSquid_HostsLeftOut_WarnsBeforeTheSummary_OneLinePerHost()
    {
        using var files = new TempFiles();
        string yaml = SharedDestinationTests.Dual.Replace("  - relay.internal:8443\n", "  - relay.internal:8443\n  - trace.agent.datadoghq.eu.\n" +
            "  - process.datadoghq.com.\n  - config.datadoghq.com.\n  - intake.profile.datadoghq.com.\n", StringComparison.Ordinal);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "squid", "--agent-config", files.Write("datadog.yaml", yaml));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int summary = Array.FindIndex(lines, l => l.StartsWith("generate: squid", StringComparison.Ordinal));
        string[] leftOut = [.. lines.Where(l => l.StartsWith("fwrules: warning: not rendered by name: ", StringComparison.Ordinal))];
        Assert.That(leftOut, Has.Length.GreaterThanOrEqualTo(4).And.All.Length.LessThan(300));
        Assert.That(Array.FindLastIndex(lines, l => l.StartsWith("fwrules: warning: not rendered by name: ", StringComparison.Ordinal)), Is.LessThan(summary));
        Assert.That(leftOut.Count(l => l.Contains("relay.internal 8443/tcp", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [TestCase("squid", false, 2)]
    [TestCase("domains", true, 0)]
    public async Task GenerateAllowList_RelaysGivenByAddress_WarnsOnlyWhereTheFileLeavesThemOut(string format, bool warnsTcp, int counted)
    {
        using var files = new TempFiles();
        string yaml = "api_key: x\ndd_url: https://10.1.2.3:8443\napm_config:\n  apm_dd_url: https://[fd00:db8::7]:8126\n" +
            "statsd_forward_host: 10.9.9.9\nstatsd_forward_port: 8129\n";

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--agent-config", files.Write("datadog.yaml", yaml));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string[] warned = [.. result.Error.Split('\n').Where(l => l.StartsWith("fwrules: warning: not rendered by name: ", StringComparison.Ordinal))];
        Assert.That(warned.Count(l => l.Contains("10.1.2.3 8443/tcp", StringComparison.Ordinal) || l.Contains("fd00:db8::7 8126/tcp", StringComparison.Ordinal)),
            Is.EqualTo(warnsTcp ? 2 : 0));
        Assert.That(warned.Count(l => l.Contains(warnsTcp ? "10.9.9.9 8129/udp" : "10.9.9.9 on 8129/udp (statsd-forward): UDP, which an HTTP proxy does not carry",
            StringComparison.Ordinal)), Is.EqualTo(1));
        string summary = result.Error.Split('\n').Single(l => l.StartsWith($"generate: {format}", StringComparison.Ordinal));
        Assert.That(summary, counted == 0 ? Does.Not.Contain("relay address") : Does.Contain($" and {counted} relay addresses"));
        Assert.That(result.Output.Contains("dst 10.1.2.3/32", StringComparison.Ordinal), Is.EqualTo(!warnsTcp));
    }

    [TestCase("kubernetes", true)]
    [TestCase("cilium", true)]
    [TestCase("nftables", false)]
    public async Task GeneratePolicies_AgentOnTheHostNetwork_WarnsThatNoPolicyApplies(string format, bool warns)
    {
        using var files = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--helm-values",
            files.Write("values.yaml", "datadog:\n  apiKey: x\nagents:\n  useHostNetwork: true\n"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error.Contains("fwrules: warning: agents.useHostNetwork puts the Agent's pods on the host's network", StringComparison.Ordinal), Is.EqualTo(warns));
    }

    [Test]
    public async Task GenerateSquid_Name_NamesEveryAcl_SoTwoIncludesStayApart()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "squid", "-s", "logs", "--site", "eu1", "--name", "dd-eu");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string[] acls = [.. result.Output.Split('\n').Where(l => l.StartsWith("acl ", StringComparison.Ordinal) && !l.Contains("_ports ", StringComparison.Ordinal))];
        Assert.That(acls, Is.Not.Empty.And.All.StartWith("acl dd-eu_"));
        Assert.That(result.Output, Does.Contain("http_access allow dd-eu_connect dd-eu_port_443 dd-eu_hosts_443 !dd-eu_special_dst\n"));
    }

    [Test]
    public async Task GenerateCiliumByName_OfflineForAnotherSite_ReadsNoDocument_AndSaysNoRangesAreHeld()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "-s", "logs", "--site", "eu1");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        // What the policies allow: each spec's egressDeny of the special-purpose blocks (its last key) aside.
        string allowed = string.Join("\n---\n", result.Output.Split("\n---\n").Select(policy => policy.Split("\n  egressDeny:\n")[0]));
        Assert.That(allowed, Does.Contain("matchName: agent-http-intake.logs.datadoghq.eu\n").And.Not.Contain("toCIDR").And.Not.Contain("logs.datadoghq.com"));
        Assert.That(result.Output, Does.Contain("  egressDeny:\n  - toCIDR:\n"));
        Assert.That(result.Output, Does.Contain("No Datadog IP ranges").And.Not.Contain("snapshot"));
        Assert.That(result.Error, Does.Contain("no Datadog ranges (no ip-ranges document read)"));
    }

    [Test]
    public async Task GenerateCiliumByName_OfflineInbound_StillNeedsADocument()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "-s", "synthetics", "-d", "ingress", "--site", "eu1");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("the embedded snapshot is US1's"));
    }
}
