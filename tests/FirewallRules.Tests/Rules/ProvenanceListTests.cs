using FirewallRules.Rules;

namespace FirewallRules.Tests.Rules;

/// <summary>
/// The list of sections or sources every header states goes on over lines, broken between two items, rather than cut
/// mid-word at the line bound (an agent's plan names twenty features and more); a list no header could hold is still bounded.
/// </summary>
[TestFixture]
public class ProvenanceListTests
{
    private static readonly string[] Features =
    [
        "metrics", "flare", "remote-configuration", "logs", "apm", "process", "apm-telemetry", "profiling", "debugger", "compliance",
        "runtime-security", "container-image", "container-lifecycle", "sbom", "network-path", "snmp-traps", "netflow", "ndm",
        "agent-telemetry", "llmobs", "ntp",
    ];

    [Test]
    public void Describe_SourcesLongerThanALine_ListsEveryOneWholeOverLinesBrokenBetweenItems()
    {
        IReadOnlyList<string> lines = new RuleSetProvenance(Site.US1, null, null, Features, IsEmbeddedSnapshot: false).Describe();

        string[] list = [.. lines.SkipWhile(l => !l.StartsWith("Sources: ", StringComparison.Ordinal))];
        Assert.That(list, Has.Length.GreaterThan(1), "one line of 200 characters cannot hold them");
        Assert.That(list, Has.All.Length.LessThanOrEqualTo(200));
        Assert.That(list.Skip(1), Has.All.StartsWith("  "));
        Assert.That(list.Take(list.Length - 1), Has.All.EndWith(","), "each line ends between two items");
        string joined = string.Join(" ", list.Select(l => l.Trim()));
        Assert.That(joined, Is.EqualTo($"Sources: {string.Join(", ", Features)}."));
    }

    [Test]
    public void Describe_TenThousandSources_TakesAtMostFourLines()
    {
        string[] sources = [.. Enumerable.Range(0, 10_000).Select(i => $"source-{i}")];

        IReadOnlyList<string> lines = new RuleSetProvenance(null, 7, null, sources, IsEmbeddedSnapshot: false).Describe();

        string[] list = [.. lines.SkipWhile(l => !l.StartsWith("Sections: ", StringComparison.Ordinal))];
        Assert.That(list, Has.Length.EqualTo(4));
        Assert.That(list, Has.All.Length.LessThanOrEqualTo(200));
        Assert.That(list[^1], Does.EndWith("..."));
    }
}
