using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The Datadog Operator's own DatadogAgent examples (data/agent/operator/, unedited, provenance in data/PROVENANCE.md), each held to what
/// its plan must hold: expected.tsv, written from the Operator's source before the reader of manifests existed. A row marked <c>*</c>
/// holds for every example the reader plans.
/// </summary>
[TestFixture]
public class OperatorExampleTests
{
    private static string Folder => TestData.Path_("agent", "operator");

    private static readonly Expectation[] Expected = [.. File.ReadAllLines(Path.Combine(Folder, "expected.tsv"))
        .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("example\t", StringComparison.Ordinal))
        .Select(line => line.Split('\t')).Select(cells => new Expectation(cells[0], cells[1], cells[2], cells.Length > 4 ? cells[3] : null, cells[^1]))];

    private static IEnumerable<string> Examples() => Directory.EnumerateFiles(Folder, "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    [Test]
    public void Expectations_NameOnlyStoredExamples_AndEveryKindIsKnown()
    {
        // Guards the test below: a typo in an example's name or a kind would check nothing.
        Assert.That(Expected.Select(e => e.Example).Where(e => e != "*").Distinct(), Is.SubsetOf(Examples()));
        Assert.That(Expected.Select(e => e.Kind).Distinct(), Is.SubsetOf(new[] { "plans", "omits", "listens", "silent", "notes", "refused" }));
        Assert.That(Examples().Count(), Is.EqualTo(32), "the 32 examples of the Operator's examples/datadogagent");
    }

    [TestCaseSource(nameof(Examples))]
    public async Task Example_PlansWhatTheOperatorDeploys(string example)
    {
        Expectation[] rows = [.. Expected.Where(e => e.Example == example)];
        string path = Path.Combine(Folder, example);
        if (rows.FirstOrDefault(r => r.Kind == "refused") is { } refused)
        {
            var error = Assert.ThrowsAsync<AgentConfigurationException>(() => AgentConfiguration.ReadAsync(new() { DatadogAgentFile = path }))!;
            Assert.That(error.Message, Does.Contain(refused.What).And.Not.Contain("\n"));
            return;
        }

        AgentPlan plan = await AgentConfiguration.ReadAsync(new() { DatadogAgentFile = path });
        string[] failures = [.. Expected.Where(e => e.Example == "*" && !rows.Any(r => r.What == e.What)).Concat(rows).Where(e => !Holds(plan, e))
            .Select(e => $"{e.Kind} {e.What} ({e.Why})")];

        Assert.That(plan.IsKubernetes, Is.True);
        Assert.That(failures, Is.Empty, $"{example}: rows the plan does not hold");
    }

    private static bool Holds(AgentPlan plan, Expectation row) => row.Kind switch
    {
        "plans" => plan.Destinations.Any(d => $"{d.HostName}:{d.Port}" == row.What),
        "omits" => plan.Destinations.All(d => d.HostName != row.What),
        "listens" => plan.Listeners.Any(l => l.Port.ToString() == row.What && l.BindAddress == row.Bind),
        "silent" => plan.Listeners.All(l => l.Port.ToString() != row.What),
        "notes" => plan.Notes.Any(n => n.Text.Contains(row.What, StringComparison.Ordinal)),
        _ => false,
    };

    // One row of expected.tsv: the example (or * for all), the kind, what, the bind address of a listener, and why.
    private sealed record Expectation(string Example, string Kind, string What, string? Bind, string Why);
}
