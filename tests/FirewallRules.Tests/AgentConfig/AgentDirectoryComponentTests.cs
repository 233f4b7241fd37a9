using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// A whole configuration folder decides what runs as the agent's packages do: the system probe and the security agent start only
/// when their file is there, and <c>confd_path</c> names the integrations' folder; what conf.d's instances connect to is said by host
/// and port, whatever key the integration writes it under.
/// </summary>
[TestFixture]
public class AgentDirectoryComponentTests
{
    private const string ProcessAgentQuiet = "process_config:\n  process_discovery:\n    enabled: false\n  container_collection:\n    enabled: false\n";

    private const string EveryComponentFeature =
        ProcessAgentQuiet + "network_config:\n  enabled: true\nruntime_security_config:\n  enabled: true\ncompliance_config:\n  enabled: true\n";

    private TempFiles _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFiles();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder.DirectoryPath, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<AgentPlan> PlanAsync() => AgentConfiguration.ReadAsync(AgentConfigurationSources.FromDirectory(_folder.DirectoryPath));

    private static string[] Features(AgentPlan plan) => [.. plan.Destinations.Select(d => d.Feature)];

    [Test]
    public async Task FeaturesOfTheSystemProbeAndSecurityAgent_InDatadogYamlAlone_DoNotRunWithoutTheirFiles_AndTheNoteSaysWhy()
    {
        string config = Write("datadog.yaml", EveryComponentFeature);

        AgentPlan folder = await PlanAsync();
        AgentPlan oneFile = await AgentConfiguration.ReadAsync(new AgentConfigurationSources { ConfigFile = config });

        Assert.That(Features(folder), Has.None.Matches<string>(f => f is "process" or "runtime-security" or "compliance"));
        Assert.That(folder.Listeners.Select(l => l.Feature), Has.None.StartsWith("security-"), "the security agent's own listeners are not opened either");
        string[] notes = [.. folder.Notes.Texts()];
        Assert.That(notes, Has.Some.StartsWith("network_config.enabled turns Network Performance Monitoring on (" + config + ":7)").And.Some.Contains("has no system-probe.yaml"));
        Assert.That(notes, Has.Some.StartsWith("compliance_config.enabled turns compliance on").And.Some.Contains("has no security-agent.yaml"));
        Assert.That(Features(oneFile), Does.Contain("process").And.Contain("runtime-security").And.Contain("compliance"),
            "one file given alone says nothing about which processes run");
        Assert.That(oneFile.Notes.Texts(), Has.None.Contains("has no system-probe.yaml"));
    }

    [Test]
    public async Task WorkloadProtection_NeedsBothProcesses_WhileComplianceNeedsTheSecurityAgentOnly()
    {
        Write("datadog.yaml", EveryComponentFeature);
        Write("security-agent.yaml", "compliance_config:\n  enabled: true\n");

        AgentPlan plan = await PlanAsync();

        Assert.That(Features(plan), Does.Contain("compliance").And.Not.Contain("runtime-security").And.Not.Contain("process"));
        Assert.That(plan.Notes.Texts(), Has.Some.StartsWith("runtime_security_config.enabled turns Workload Protection on").And.Some.Contains("no system-probe.yaml"));
        Assert.That(plan.Listeners.Select(l => l.Feature), Does.Contain("security-cmd"));
    }

    [Test]
    public async Task ConfdPath_NamesTheIntegrationsFolder_ReadInTheGivenFolder_AndOneThatIsNotThereIsRefused()
    {
        Write("datadog.yaml", "confd_path: /etc/datadog-agent/integrations\n");
        Write("integrations/postgres.d/conf.yaml", "instances:\n  - host: pg.internal\n    dbm: true\n");
        Write("conf.d/snmp.d/conf.yaml", "instances:\n  - ip_address: 10.1.2.3\n");

        AgentPlan plan = await PlanAsync();
        Write("datadog.yaml", "confd_path: /opt/custom/conf.d\n");

        Assert.That(Features(plan), Does.Contain("database-monitoring").And.Not.Contain("ndm"), "conf.d is not the folder the agent reads");
        Assert.That(PlanAsync, Throws.InstanceOf<AgentConfigurationException>().With.Message.Contains("confd_path").And.Message.Contains("/opt/custom/conf.d"));
    }

    [Test]
    public async Task LinkToNothing_IsSkippedAsTheAgentSkipsIt_AndTargetsOfEveryIntegrationsOwnKeysAreHostAndPort()
    {
        Write("conf.d/sqlserver.d/conf.yaml", "instances:\n  - host: sql.internal,1433\n    password: hunter2\n");
        Write("conf.d/mongo.d/conf.yaml", "instances:\n  - hosts:\n      - mongo-1.internal:27017\n      - mongo-2.internal\n    password: hunter2\n");
        Write("conf.d/openmetrics.d/conf.yaml", "instances:\n  - openmetrics_endpoint: http://exporter.internal:9100/metrics?key=k3y\n");
        Write("conf.d/mongo.d/uri.yaml", "instances:\n  - server: mongodb://admin:hunter2@mongo-3.internal:27018/admin\n" +
            "  - server: mongodb://u:p%40ss@m5.internal:1,m6.internal:2/db?replicaSet=rs0\n  - server: mongodb+srv://u:p@cluster0.example.net/db\n" +
            "  - server: mongodb://dd:S3CR3T@h1.example.com:27017/admin?tls=true&tlsCertificateKeyFilePassword=Pa@ssw0rdX\n");
        File.CreateSymbolicLink(Path.Combine(_folder.DirectoryPath, "conf.d", "postgres.yaml"), Path.Combine(_folder.DirectoryPath, "nowhere.yaml"));

        AgentPlan plan = await PlanAsync();

        string note = plan.Notes.Texts().Single(n => n.StartsWith("The integrations of conf.d", StringComparison.Ordinal));
        Assert.That(note, Does.Contain("sqlserver sql.internal:1433 (").And.Contain("mongo mongo-1.internal:27017, mongo-2.internal (")
            .And.Contain("openmetrics exporter.internal:9100 (").And.Contain("mongo mongo-3.internal:27018 (").And.Contain("mongo m5.internal:1, m6.internal:2 (")
            .And.Contain("mongo cluster0.example.net (a DNS SRV record: the hosts it lists) (").And.Contain("mongo h1.example.com:27017 ("));
        Assert.That(string.Join("\n", plan.Notes.Texts()), Does.Not.Contain("hunter2").And.Not.Contain("k3y").And.Not.Contain("admin@").And.Not.Contain("p%40ss")
            .And.Not.Contain("ssw0rdX").And.Not.Contain("S3CR3T"));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("conf.d/postgres.yaml").And.Some.Contains("skipped"));
    }

    [Test]
    public async Task ProcessesStartedOtherwise_AContainerTheChartOrFleet_AreNotJudgedByTheFilesPresence()
    {
        string config = Write("datadog.yaml", EveryComponentFeature);
        string docker = Write("docker.env", "DOCKER_DD_AGENT=true\n");
        string empty = Write("empty.env", "DOCKER_DD_AGENT=\nKUBERNETES_SERVICE_HOST=\n");
        string values = Write("values.yaml", "datadog:\n  securityAgent:\n    compliance:\n      enabled: true\n");
        AgentConfigurationSources folder = AgentConfigurationSources.FromDirectory(_folder.DirectoryPath);

        AgentPlan container = await AgentConfiguration.ReadAsync(folder with { EnvironmentFile = docker });
        AgentPlan chart = await AgentConfiguration.ReadAsync(folder with { HelmValuesFile = values });
        AgentPlan emptyVariables = await AgentConfiguration.ReadAsync(folder with { EnvironmentFile = empty });
        Directory.CreateDirectory(Path.Combine(_folder.DirectoryPath, "managed"));
        AgentPlan fleet = await AgentConfiguration.ReadAsync(AgentConfigurationSources.FromDirectory(_folder.DirectoryPath));

        Assert.That(Features(container), Does.Contain("process").And.Contain("runtime-security").And.Contain("compliance"), "Docker's image starts them by its own scripts");
        Assert.That(Features(chart), Does.Contain("compliance"), "the chart runs the security agent as a container of its own");
        Assert.That(Features(emptyVariables), Does.Not.Contain("compliance"), "an empty variable is unset, as the agent counts it");
        Assert.That(Features(fleet), Does.Contain("compliance"), "Fleet Automation keeps the files under managed/");
        Assert.That(File.Exists(config), Is.True);
    }

    [Test]
    public async Task ALinkToNothing_IsNoFile_AsTheUnitsConditionFindsNone()
    {
        Write("datadog.yaml", EveryComponentFeature);
        File.CreateSymbolicLink(Path.Combine(_folder.DirectoryPath, "system-probe.yaml"), Path.Combine(_folder.DirectoryPath, "gone.yaml"));

        AgentPlan plan = await PlanAsync();

        Assert.That(plan.Notes.Texts(), Has.Some.Contains("has no system-probe.yaml").And.Some.Contains("create system-probe.yaml and set network_config.enabled there"));
    }

    [TestCase("confd_path: [a]\n", "a folder's path")]
    [TestCase("confd_path: ../../../etc\n", "inside the agent's folder")]
    [TestCase("confd_path: \"/etc/datadog-agent/x\\a\"\n", "without control characters")]
    public void ConfdPath_OfAnotherKind_OrOutsideTheFolder_IsRefused(string config, string expected)
    {
        Write("datadog.yaml", config);

        Assert.That(PlanAsync, Throws.InstanceOf<AgentConfigurationException>().With.Message.Contains("confd_path").And.Message.Contains(expected));
    }

    [TestCase("/etc/datadog-agent")]
    [TestCase("/etc//datadog-agent/conf.d/../integrations")]
    [TestCase("/opt/datadog-agent/etc/integrations")]
    [TestCase("integrations")]
    public async Task ConfdPath_UnderTheAgentsOwnFolder_IsReadInTheGivenOne(string confd)
    {
        Write("datadog.yaml", $"confd_path: {confd}\n");
        Write("integrations/postgres.d/conf.yaml", "instances:\n  - dbm: true\n");
        Write("postgres.d/conf.yaml", "instances:\n  - dbm: true\n");

        AgentPlan plan = await PlanAsync();

        Assert.That(Features(plan), Does.Contain("database-monitoring"));
    }

    [Test]
    public async Task SnmpPing_OfInitConfig_PingsEveryDeviceButOneThatTurnsItOff_AndTheNoteNamesThem()
    {
        Write("conf.d/snmp.d/conf.yaml", "init_config:\n  ping:\n    enabled: true\ninstances:\n  - ip_address: 10.0.0.1\n" +
            "  - ip_address: 10.0.0.2\n    ping:\n      enabled: false\n  - ip_address: 10.0.0.3\n    ping:\n      enabled: 'yes'\n" +
            "  - ip_address: 10.0.0.4\n    ping:\n      enabled: ~\n");

        AgentPlan plan = await PlanAsync();

        Assert.That(plan.Notes.Texts(), Has.Some.Contains("ping.enabled also sends ICMP echo requests to 10.0.0.1, 10.0.0.3, 10.0.0.4 ("),
            "an unset value falls back on init_config's");
    }
}
