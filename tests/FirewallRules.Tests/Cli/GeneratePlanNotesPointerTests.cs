namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>generate</c> from an agent's configuration repeats only the plan's notes that change its rules; the others (keys it
/// cannot read, such as a chart's envFrom references, and what to allow by hand) are counted, with where to read them.
/// </summary>
[TestFixture]
public class GeneratePlanNotesPointerTests
{
    private const string Values = "datadog:\n  apiKey: 0123456789abcdef0123456789abcdef\n  site: datadoghq.com\n"
        + "  envFrom:\n    - configMapRef:\n        name: datadog-extra\n";

    [TestCase("cilium", "--by-name")]
    [TestCase("squid", null)]
    [TestCase("kubernetes", null)]
    public async Task Generate_PlanWithNotesItDoesNotRepeat_PointsToPlanWithTheirCount(string format, string? extra)
    {
        using var files = new TempFiles();
        string values = files.Write("values.yaml", Values);
        string[] args = ["generate", "-f", format, "--helm-values", values, .. extra is null ? Array.Empty<string>() : [extra]];

        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);
        ProcessResult plan = await FwrulesInProcess.RunAsync(null, "plan", "--helm-values", values);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(plan.Output + plan.Error, Does.Contain("datadog-extra"), "the plan names the envFrom reference it cannot read");
        Assert.That(result.Error, Does.Match(@"note: the plan has \d+ more notes? \(what it leaves out or cannot read, what to allow by hand\): "
            + "fwrules plan with the same agent configuration prints them"));
    }

    [Test]
    public async Task Generate_Quiet_NoPointer()
    {
        using var files = new TempFiles();
        string values = files.Write("values.yaml", Values);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-q", "-f", "squid", "--helm-values", values);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Not.Contain("more note"));
    }

    [TestCase("cilium", "--by-name")]
    [TestCase("domains", null)]
    [TestCase("squid", null)]
    public async Task Generate_LogsOverTcpOnASiteWithoutTcpIntake_WarnsAsThePlanNotes(string format, string? extra)
    {
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", "site: ap1.datadoghq.com\nlogs_enabled: true\nlogs_config:\n  force_use_tcp: true\n");
        string[] args = ["generate", "-f", format, "--agent-config", config, .. extra is null ? Array.Empty<string>() : [extra]];

        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Contain("fwrules: warning: Logs over TCP: Datadog has no TCP logs intake on AP1"));
    }
}
