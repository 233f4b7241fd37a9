using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// Helm charts before 3.140.0 put no <c>agent.datadoghq.com/component</c> on the Agent's pods, which the kubernetes, cilium
/// and calico policies select them by: values that show an older chart (the chart's own values.yaml without the
/// <c>otelAgentGateway</c> key every chart has from 3.136.0, or an <c>agents.image.tag</c> older than 3.140.0's 7.71.2) are said,
/// in the plan's notes and as a warning of those formats, with the old chart's own selector to use instead.
/// </summary>
[TestFixture]
public class HelmChartLabelTests
{
    private static string OldChart => File.ReadAllText(TestData.Path_("agent", "helm-values.yaml"));

    private static string NewChart => File.ReadAllText(TestData.Path_("agent", "helm-values-3.240.0.yaml"));

    private static string[] ChartNotes(string values) =>
        [.. AgentConfiguration.Parse(null, null, values).Notes.Where(n => n.Kind == AgentNoteKind.UnlabelledPods).Select(n => n.Text)];

    [Test]
    public void OldChartsOwnValues_PlanSaysItsPodsCarryNoComponentLabel()
    {
        Assert.That(ChartNotes(OldChart), Has.One.StartsWith("Helm chart: values.yaml is the chart's own values.yaml from before 3.136.0")
            .And.One.Contains("their own label, app=FULLNAME"));
    }

    [Test]
    public void Chart3240OwnValues_NoChartNote()
    {
        Assert.That(ChartNotes(NewChart), Is.Empty);
    }

    [Test]
    public void Overrides_ImageTagOlderThan3140sAgent_Noted_WithTheFullnameOverride()
    {
        Assert.That(ChartNotes("fullnameOverride: dd\nagents:\n  image:\n    tag: 7.60.1\n"),
            Has.One.Contains("agents.image.tag 7.60.1, older than the Agent 7.71.2").And.One.Contains("their own label, app=dd (app=dd-cluster-agent"));
        Assert.That(ChartNotes("agents:\n  image:\n    tag: 7.72.0\n"), Is.Empty);
        Assert.That(ChartNotes("datadog:\n  logs:\n    enabled: true\n"), Is.Empty, "overrides alone tell nothing of the chart");
    }

    [Test]
    public void OldChart_PodLabelsAddTheComponentLabel_NoChartNote()
    {
        string values = OldChart.Replace("  podLabels: {}\n", "  podLabels:\n    agent.datadoghq.com/component: agent\n", StringComparison.Ordinal);

        Assert.That(values, Is.Not.EqualTo(OldChart), "the chart's values hold agents.podLabels");
        Assert.That(ChartNotes(values), Is.Empty);
    }

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    [TestCase("calico")]
    public async Task Generate_OldChartsValues_WarnsOnStderr_UnlessAPodSelectorIsGiven(string format)
    {
        string values = TestData.Path_("agent", "helm-values.yaml");

        ProcessResult warned = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--helm-values", values);
        ProcessResult selected = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--helm-values", values, "--pod-selector", "app=datadog");

        Assert.That(warned.ExitCode, Is.Zero, warned.Error);
        Assert.That(warned.Error.Split('\n'), Has.One.StartsWith("fwrules: warning: Helm chart: ").And.One.Contains("would select no pod")
            .And.One.EndsWith("(--pod-selector KEY=VALUE selects the pods by it)"));
        Assert.That(selected.ExitCode, Is.Zero, selected.Error);
        Assert.That(selected.Error, Does.Not.Contain("Helm chart: "));
    }

    [Test]
    public async Task Generate_OldChartsValues_AddressFormat_NoChartWarning()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--helm-values", TestData.Path_("agent", "helm-values.yaml"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Not.Contain("Helm chart: "), "no pod is selected by a label on a host firewall");
    }
}
