using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// An agent's configuration folder read as the agent reads it (<see cref="AgentConfigurationSources.FromDirectory"/>):
/// system-probe.yaml and security-agent.yaml for their own sections, and the integrations of conf.d.
/// </summary>
[TestFixture]
public class AgentDirectoryTests
{
    private TempFiles _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFiles();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    private void Write(string name, string text)
    {
        string path = Path.Combine(_folder.DirectoryPath, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private Task<AgentPlan> PlanAsync() => AgentConfiguration.ReadAsync(AgentConfigurationSources.FromDirectory(_folder.DirectoryPath));

    private static string[] Features(AgentPlan plan) => [.. plan.Destinations.Select(d => d.Feature)];

    [Test]
    public async Task SystemProbeAndSecurityAgentFiles_TurnOnNetworkMonitoringWorkloadProtectionAndCompliance()
    {
        Write("datadog.yaml", "site: datadoghq.eu\nprocess_config:\n  process_discovery:\n    enabled: false\n  container_collection:\n    enabled: false\n");
        AgentPlan alone = await PlanAsync();
        Write("system-probe.yaml", "network_config:\n  enabled: true\nruntime_security_config:\n  enabled: true\n");
        Write("security-agent.yaml", "runtime_security_config:\n  enabled: true\ncompliance_config:\n  enabled: true\n");

        AgentPlan plan = await PlanAsync();

        Assert.That(Features(alone), Has.None.Matches<string>(f => f is "process" or "runtime-security" or "compliance"), "datadog.yaml alone turns none on");
        Assert.That(AgentConfigurationTests.Hosts(plan, "process"), Is.EqualTo(new[] { "process.datadoghq.eu 443/tcp" }));
        Assert.That(plan.Destinations.Single(d => d.Feature == "process").Purpose, Does.Contain("network"));
        Assert.That(AgentConfigurationTests.Hosts(plan, "runtime-security"),
            Is.EqualTo(new[] { "runtime-security-http-intake.logs.datadoghq.eu 443/tcp", "cws-intake.datadoghq.eu 443/tcp" }), "events, and activity dumps (on by default)");
        Assert.That(AgentConfigurationTests.Hosts(plan, "compliance"), Is.EqualTo(new[] { "cspm-intake.datadoghq.eu 443/tcp" }));
        Assert.That(plan.Listeners.Select(l => l.Feature), Does.Contain("security-cmd"));
    }

    [Test]
    public async Task UniversalServiceMonitoring_InSystemProbeYaml_SendsConnectionsThroughTheProcessAgent()
    {
        Write("datadog.yaml", "process_config:\n  process_discovery:\n    enabled: false\n  container_collection:\n    enabled: false\n");
        Write("system-probe.yaml", "service_monitoring_config:\n  enabled: true\n");

        AgentPlan plan = await PlanAsync();

        Assert.That(plan.Destinations.Single(d => d.Feature == "process").Purpose, Does.Contain("network"));
    }

    [Test]
    public async Task ComponentFiles_SetOnlyTheirOwnSections_NeverTheSiteOrTheProxy()
    {
        Write("datadog.yaml", "site: datadoghq.eu\nnetwork_config:\n  enabled: true\n");
        Write("system-probe.yaml", "site: datadoghq.com\nproxy:\n  https: http://proxy.example:3128\nnetwork_config:\n  enabled: false\n");
        Write("security-agent.yaml", "dd_url: https://relay.example\nsystem_probe_config:\n  enabled: true\n");

        AgentPlan plan = await PlanAsync();

        Assert.That(plan.Site, Is.EqualTo(Site.EU1));
        Assert.That(plan.Notes.Select(n => n.Kind), Does.Not.Contain(AgentNoteKind.Proxy));
        Assert.That(AgentConfigurationTests.Hosts(plan, "metrics"), Has.None.Contains("relay.example"));
        Assert.That(plan.Destinations.Where(d => d.Feature == "process").Select(d => d.Purpose), Has.None.Contains("network"),
            "system-probe.yaml's network_config wins over datadog.yaml's, and security-agent.yaml sets no system_probe_config");
    }

    [Test]
    public async Task DatabaseMonitoringInstance_PlansBothIntakes_AndWithoutOneNothingIsPlannedOrNoted()
    {
        Write("datadog.yaml", "site: datadoghq.eu\n");
        Write("conf.d/postgres.d/conf.yaml", "init_config:\ninstances:\n  - host: db.internal\n    port: 5432\n    dbm: false\n");
        AgentPlan off = await PlanAsync();
        Write("conf.d/postgres.d/conf.yaml", "init_config:\ninstances:\n  - host: db.internal\n    port: 5432\n    dbm: true\n");

        AgentPlan on = await PlanAsync();

        Assert.That(AgentConfigurationTests.Hosts(on, "database-monitoring"),
            Is.EquivalentTo(new[] { "dbm-metrics-intake.datadoghq.eu 443/tcp", "dbquery-intake.datadoghq.eu 443/tcp" }));
        Assert.That(on.Destinations.First(d => d.Feature == "database-monitoring").Purpose, Does.Contain("postgres in conf.d/postgres.d/conf.yaml:3"));
        Assert.That(Features(off), Does.Not.Contain("database-monitoring"));
        Assert.That(off.Notes.Texts().Concat(on.Notes.Texts()), Has.None.Contains("which this tool does not read"));
    }

    [Test]
    public async Task DefaultFile_CountsOnlyWithoutARegularOne_AndExamplesAndMetricsFilesNever()
    {
        Write("conf.d/mysql.d/conf.yaml.default", "instances:\n  - dbm: true\n");
        Write("conf.d/mysql.d/conf.yaml", "instances:\n  - dbm: false\n");
        Write("conf.d/sqlserver.d/conf.yaml.example", "instances:\n  - dbm: true\n");
        Write("conf.d/oracle.d/metrics.yaml", "instances:\n  - dbm: true\n");
        AgentPlan regular = await PlanAsync();
        File.Delete(Path.Combine(_folder.DirectoryPath, "conf.d", "mysql.d", "conf.yaml"));

        AgentPlan byDefault = await PlanAsync();

        Assert.That(Features(regular), Does.Not.Contain("database-monitoring"));
        Assert.That(AgentConfigurationTests.Hosts(byDefault, "database-monitoring"), Has.Length.EqualTo(2));
        Assert.That(byDefault.Destinations.First(d => d.Feature == "database-monitoring").Purpose, Does.Contain("mysql in conf.d/mysql.d/conf.yaml.default"));
    }

    [Test]
    public async Task Targets_AreNotedAsHostAndPortOnly_NeverACredentialPathOrQuery()
    {
        Write("conf.d/http_check.d/conf.yaml", "instances:\n  - name: shop\n    url: https://user:s3cr3t@shop.example.com:8443/health?token=t0k3n\n");
        Write("conf.d/postgres.yaml", "instances:\n  - host: db.internal\n    port: 5432\n    password: hunter2\n");
        Write("conf.d/tcp_check.d/conf.yaml", "instances:\n  - host: '%%host%%'\n    port: 22\n");

        AgentPlan plan = await PlanAsync();

        string note = plan.Notes.Texts().Single(n => n.StartsWith("The integrations of conf.d", StringComparison.Ordinal));
        Assert.That(note, Does.Contain("http_check shop.example.com:8443 (conf.d/http_check.d/conf.yaml:2)").And.Contain("postgres db.internal:5432 (conf.d/postgres.yaml:2)"));
        Assert.That(string.Join("\n", plan.Notes.Texts()), Does.Not.Contain("s3cr3t").And.Not.Contain("t0k3n").And.Not.Contain("hunter2").And.Not.Contain("%%"));
        Assert.That(Features(plan), Has.None.Matches<string>(f => f.Contains("check", StringComparison.Ordinal)), "a check's target is said, never planned");
    }

    [Test]
    public async Task SnmpDevices_PlanDeviceMetadata_AndNetworkPathTests_PlanTheirIntake()
    {
        Write("datadog.yaml", "site: us5.datadoghq.com\n");
        Write("conf.d/snmp.d/conf.yaml", "instances:\n  - ip_address: 10.1.2.3\n");
        Write("conf.d/network_path.d/conf.yaml", "instances:\n  - hostname: api.example.com\n    port: 443\n");

        AgentPlan plan = await PlanAsync();

        Assert.That(AgentConfigurationTests.Hosts(plan, "ndm"), Is.EqualTo(new[] { "ndm-intake.us5.datadoghq.com 443/tcp" }));
        Assert.That(AgentConfigurationTests.Hosts(plan, "network-path"), Is.EqualTo(new[] { "netpath-intake.us5.datadoghq.com 443/tcp" }));
        Assert.That(plan.Notes.Texts(), Has.Some.StartsWith("SNMP polls 10.1.2.3 (conf.d/snmp.d/conf.yaml:2)"));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("network_path api.example.com:443").And.Some.Contains("traceroutes"));
    }

    [Test]
    public async Task FilesTheAgentSkips_AreSkippedAndSaid_WhileTheRestIsRead()
    {
        Write("conf.d/broken.yaml", "instances: [unclosed\n");
        Write("conf.d/empty.d/conf.yaml", string.Empty);
        Write("conf.d/postgres.d/conf.yaml", "instances:\n  - dbm: true\n");

        AgentPlan plan = await PlanAsync();

        Assert.That(plan.Notes.Texts(),
            Has.Some.EqualTo("conf.d: conf.d/broken.yaml, conf.d/empty.d/conf.yaml skipped, as the agent skips them (empty, not YAML, no instances, or a link to nothing)."));
        Assert.That(Features(plan), Does.Contain("database-monitoring"));
    }

    [Test]
    public async Task Dbm_AsTheIntegrationsReadIt_YesOnAndTheOlderKeyTurnItOn_AndALogsOnlyFileHoldsNoDefaultBack()
    {
        Write("conf.d/mysql.d/conf.yaml", "instances:\n  - host: a\n    dbm: yes\n");
        Write("conf.d/sqlserver.d/conf.yaml", "instances:\n  - host: b\n    deep_database_monitoring: 'On'\n");
        Write("conf.d/postgres.d/conf.yaml.default", "instances:\n  - dbm: true\n");
        Write("conf.d/postgres.d/logs.yaml", "logs:\n  - type: file\n    path: /var/log/postgresql/*.log\n");

        AgentPlan plan = await PlanAsync();

        string purpose = plan.Destinations.First(d => d.Feature == "database-monitoring").Purpose;
        Assert.That(purpose, Does.Contain("mysql in").And.Contain("sqlserver in").And.Contain("postgres in conf.d/postgres.d/conf.yaml.default"));
        Assert.That(plan.Notes.Texts(), Has.None.Contains("skipped"), "a logs-only file is the agent's too");
    }

    [Test]
    public async Task LinkedCheckFolder_IsNotRead_AsTheAgentListsItAsNoFolder_AndIPv6TargetsKeepOnePairOfBrackets()
    {
        Write("elsewhere/pg/conf.yaml", "instances:\n  - dbm: true\n");
        Write("conf.d/http_check.d/conf.yaml", "instances:\n  - url: https://[2001:db8::1]:9443/health\n");
        Directory.CreateSymbolicLink(Path.Combine(_folder.DirectoryPath, "conf.d", "postgres.d"), Path.Combine(_folder.DirectoryPath, "elsewhere", "pg"));

        AgentPlan plan = await PlanAsync();

        Assert.That(Features(plan), Does.Not.Contain("database-monitoring"));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("http_check [2001:db8::1]:9443 (conf.d/http_check.d/conf.yaml:2)"));
    }

    [Test]
    public void FromDirectory_AFolderWithNoneOfTheAgentsFiles_IsRefused()
    {
        Write("notes.txt", "not an agent's folder");

        Assert.That(() => AgentConfigurationSources.FromDirectory(_folder.DirectoryPath),
            Throws.InstanceOf<IOException>().With.Message.Contains("not an agent's configuration folder"));
    }

    [Test]
    public void FromDirectory_AFolderThatIsNotThere_IsRefused()
    {
        Assert.That(() => AgentConfigurationSources.FromDirectory(Path.Combine(_folder.DirectoryPath, "missing")), Throws.InstanceOf<DirectoryNotFoundException>());
    }
}
