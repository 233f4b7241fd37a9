using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Ten configurations written by a session that had not read the implementation, from Datadog's documentation and the Helm chart's
/// pages (data/agent/independent/, provenance in data/PROVENANCE.md), each with the destinations and listeners its pages name
/// (expected.tsv), written down before the tool was run on it. Every row the plan does not hold is said in a note, and every
/// destination or listener the plan holds beyond the pages is one of the reasons below: the plan is held to the pages row by row.
/// </summary>
[TestFixture]
public class IndependentConfigurationTests
{
    private const string Version = "7.72.0";

    // Held by every plan with APM or containers on, though the setup pages of these features do not name them.
    private static readonly (string Prefix, string Why)[] BeyondThePages =
    [
        ("intake.profile.", "the trace agent forwards profiles (network page, Profiling)"),
        ("debugger-intake.", "the trace agent forwards Dynamic Instrumentation (agent source pkg/trace/api/debugger.go)"),
        ("llmobs-intake.", "the trace agent forwards LLM Observability (network page)"),
        ("contimage-intake.", "container images, on by default from 7.50; a note says only where containers are"),
        ("contlcycle-intake.", "container lifecycle, on by default from 7.50; a note says only where containers are"),
    ];

    // Rows of one configuration told apart from its page: folder, row (host port, or "listen" port), and the note that says it or the reason.
    private static readonly (string Folder, string Row, string NoteOrWhy)[] Deviations =
    [
        ("04-dbm-postgres", "localhost 5432/tcp", "note: postgres localhost:5432 (conf.d/postgres.d/conf.yaml:3)"),
        ("05-fips-proxy-gov", "localhost 9804/tcp", "note: ports 9804-9818/tcp over plain HTTP"),
        ("05-fips-proxy-gov", "localhost 9805/tcp", "note: ports 9804-9818/tcp over plain HTTP"),
        ("05-fips-proxy-gov", "localhost 9806/tcp", "note: ports 9804-9818/tcp over plain HTTP"),
        ("05-fips-proxy-gov", "localhost 9807/tcp", "note: ports 9804-9818/tcp over plain HTTP"),
        ("05-fips-proxy-gov", "localhost 9813/tcp", "note: ports 9804-9818/tcp over plain HTTP"),
        ("05-fips-proxy-gov", "listen 9803-9818/tcp", "the FIPS proxy's own listeners: another process, not the agent's"),
        ("05-fips-proxy-gov", "7-72-0-flare.agent.ddog-gov.com 443/tcp", "the FIPS page lists the proxy's ports only; flares go to the site"),
        ("05-fips-proxy-gov", "process.ddog-gov.com 443/tcp", "the FIPS proxy relays processes (setupFipsEndpoints, port 9807) to the site"),
        ("05-fips-proxy-gov", "instrumentation-telemetry-intake.ddog-gov.com 443/tcp", "the FIPS proxy relays APM telemetry to the site"),
        ("03-workload-protection-csm", "listen 5011/tcp", "the security agent's expvar server (security_agent.expvar_port, 5011)"),
        ("07-helm-workload-protection", "<cluster-dns> 53/udp", "planned as kube-dns (kube-system) 53/udp and 53/tcp"),
        ("07-helm-workload-protection", "<node> 10250/tcp", "planned as the node's kubelet (status.hostIP) 10250/tcp"),
        ("07-helm-workload-protection", "<kube-apiserver> 443/tcp", "note: the API server without a Cluster Agent (443/tcp"),
        ("07-helm-workload-protection", "<cluster-agent-service> 5005/tcp", "note: from the Cluster Agent (5005/tcp)"),
        ("07-helm-workload-protection", "kube-dns (kube-system) 53/udp", "the page's <cluster-dns>"),
        ("07-helm-workload-protection", "kube-dns (kube-system) 53/tcp", "DNS over TCP beside UDP"),
        ("07-helm-workload-protection", "the node's kubelet (status.hostIP) 10250/tcp", "the page's <node> 10250/tcp"),
        ("07-helm-workload-protection", "listen 5005/tcp", "the Cluster Agent's listener, in its own pods: not the node agents' plan"),
        ("07-helm-workload-protection", "listen 8000/tcp", "the Cluster Agent's admission webhook, in its own pods: not the node agents' plan"),
        ("08-snmp-ndm", "1.2.3.4 161/udp", "note: SNMP polls 1.2.3.4 (conf.d/snmp.d/conf.yaml:5) over SNMP (161/udp"),
        ("08-snmp-ndm", "1.2.3.4 icmp", "note: ping.enabled also sends ICMP echo requests to 1.2.3.4 "),
        ("10-http-check", "example.com 443/tcp", "note: http_check example.com:443 (conf.d/http_check.d/conf.yaml:4)"),
        ("10-http-check", "staging.example.com 80/tcp", "note: http_check staging.example.com:80 (conf.d/http_check.d/conf.yaml:13)"),
    ];

    // Rows a page names that no plan here holds, for a reason of the agent's version rather than the configuration's.
    private static readonly (string Row, string Why)[] NotAtThisVersion =
    [
        ("listen 6062/tcp", "from 7.64 the process checks run in the core agent on Linux; the process agent, and its expvar server, only for NPM or USM"),
        ("listen 6162/tcp", "from 7.64 the process checks run in the core agent on Linux; the process agent, and its settings server, only for NPM or USM"),
    ];

    // The agent container's own listeners in the chart (5555: agents.containers.agent.healthPort, DD_HEALTH_PORT), which the Helm page does not list.
    private static readonly string[] ChartContainerListeners = ["5000/tcp", "5010/tcp", "5011/tcp", "5012/tcp", "5555/tcp", "6062/tcp", "6162/tcp", "8126/tcp"];

    private static IEnumerable<string> Folders() =>
        Directory.GetDirectories(TestData.Path_("agent", "independent")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [Test]
    public void TenConfigurations_AreThere()
    {
        Assert.That(Folders().Count(), Is.EqualTo(10));
    }

    [TestCaseSource(nameof(Folders))]
    public async Task Plan_HoldsEveryRowOfThePages_SaysWhatItLeavesOut_AndNothingElse(string folder)
    {
        string path = TestData.Path_("agent", "independent", folder);
        string values = Path.Combine(path, "values.yaml");
        AgentConfigurationSources sources = File.Exists(values)
            ? new AgentConfigurationSources { HelmValuesFile = values, AgentVersion = Version }
            : AgentConfigurationSources.FromDirectory(path) with { AgentVersion = Version };
        AgentPlan plan = await AgentConfiguration.ReadAsync(sources);

        string[][] rows = [.. File.ReadLines(Path.Combine(path, "expected.tsv")).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t'))];
        HashSet<string> expected = [.. rows.Select(r => r[0] == "listen" ? $"listen {r[1]}" : $"{r[0]} {r[1].Split(' ')[0]}")];
        HashSet<string> planned = [.. plan.Destinations.Select(d => $"{d.HostName} {d.Port}"), .. plan.Listeners.Select(l => $"listen {l.Port}")];
        string notes = string.Join("\n", plan.Notes.Texts());
        var deviations = Deviations.Where(d => d.Folder == folder).ToDictionary(d => d.Row, d => d.NoteOrWhy);

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(values) || !notes.Contains("which this tool does not read", StringComparison.Ordinal), $"{folder}: its conf.d was read");
            foreach (string row in expected.Except(planned))
            {
                bool api = row.StartsWith("api.", StringComparison.Ordinal) && notes.Contains($"{row.Split(' ')[0]} (443/tcp, the 'api' section)", StringComparison.Ordinal);
                bool said = deviations.TryGetValue(row, out string? why)
                    && (!why.StartsWith("note: ", StringComparison.Ordinal) || notes.Contains(why[6..], StringComparison.Ordinal));
                bool version = NotAtThisVersion.Any(n => n.Row == row);
                Assert.That(api || said || version, $"{folder}: the page's {row} is neither planned nor said");
            }

            foreach (string row in planned.Except(expected))
            {
                bool known = BeyondThePages.Any(b => row.StartsWith(b.Prefix, StringComparison.Ordinal)) || deviations.ContainsKey(row)
                    || (File.Exists(values) && ChartContainerListeners.Any(l => row == $"listen {l}"));
                Assert.That(known, $"{folder}: {row} is planned beyond the page, for no reason known here");
            }
        });
    }
}
