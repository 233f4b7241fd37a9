using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

[TestFixture]
public class PortsCommandTests
{
    [Test]
    public async Task Ports_Datakit_ListsItsListenersWithRoutes()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "ports", "--agent", "datakit");

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(16), "a header and 15 ports");
        Assert.That(result.Output, Does.Contain("datakit     opentelemetry     4317/tcp   listener  OpenTelemetry [gRPC] (route otel/v1/trace, otel/v1/metric)"));
    }

    [Test]
    public async Task Generate_AgentListeners_RendersLoopbackRulesForTheChosenFeatures()
    {
        ProcessResult result = await FwrulesInProcess.RunWithAsync(ListingEmitter.Registry, null,
            "generate", "-f", "listing", "--agent", "datadog", "--feature", "dogstatsd", "--open", "dogstatsd=10.0.0.0/8,192.168.0.0/16");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo("datadog-agent-ingress-udp-8125 [datadog:dogstatsd]: 10.0.0.0/8 127.0.0.1/32 192.168.0.0/16 ::1/128\n"));
    }

    [TestCase("generate", "-f", "listing", "--agent", "datakit", "--section", "logs")]
    [TestCase("generate", "-f", "listing", "--feature", "statsd")]
    [TestCase("generate", "-f", "listing", "--agent", "datakit", "--open", "statsd")]
    public async Task Generate_AgentWithIncompatibleOptions_ExitsTwo(params string[] args)
    {
        ProcessResult result = await FwrulesInProcess.RunWithAsync(ListingEmitter.Registry, null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
    }
}
