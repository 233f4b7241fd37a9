namespace FirewallRules.Tests.Cli;

/// <summary><c>--agent-dir</c>: the agent's configuration folder, as an operator gives <c>/etc/datadog-agent</c>.</summary>
[TestFixture]
public class AgentDirectoryCommandTests
{
    private TempFiles _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = new TempFiles();
        _folder.Write("datadog.yaml", "site: datadoghq.eu\n");
        Directory.CreateDirectory(Path.Combine(_folder.DirectoryPath, "conf.d", "postgres.d"));
        File.WriteAllText(Path.Combine(_folder.DirectoryPath, "conf.d", "postgres.d", "conf.yaml"), "instances:\n  - host: db.internal\n    dbm: true\n");
    }

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    [Test]
    public async Task Plan_AgentDir_ReadsTheFolder_AndAgentConfigReplacesOnlyItsDatadogYaml()
    {
        string other = _folder.Write("us5.yaml", "site: us5.datadoghq.com\n");

        ProcessResult folder = await FwrulesInProcess.RunAsync(null, "plan", "--agent-dir", _folder.DirectoryPath);
        ProcessResult replaced = await FwrulesInProcess.RunAsync(null, "plan", "--agent-dir", _folder.DirectoryPath, "--agent-config", other);

        Assert.That(folder.ExitCode, Is.Zero, folder.Error);
        Assert.That(folder.Output, Does.Contain("dbm-metrics-intake.datadoghq.eu").And.Contain("dbquery-intake.datadoghq.eu").And.Contain("db.internal"));
        Assert.That(replaced.ExitCode, Is.Zero, replaced.Error);
        Assert.That(replaced.Output, Does.Contain("dbm-metrics-intake.us5.datadoghq.com").And.Not.Contain("datadoghq.eu"));
    }

    [Test]
    public async Task Generate_AgentDirThatIsNotThere_IsOneLineAndExit1()
    {
        string missing = Path.Combine(_folder.DirectoryPath, "nowhere");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-dir", missing);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim(), Is.EqualTo($"fwrules: cannot read the agent's configuration: --agent-dir {missing}: no such folder"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task Plan_AgentDirThatIsAFile_SaysItIsAFile_NotThatNoFolderIsThere()
    {
        string file = Path.Combine(_folder.DirectoryPath, "datadog.yaml");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-dir", file);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim(), Is.EqualTo(
            $"fwrules: cannot read the agent's configuration: --agent-dir {file}: is a file, not a folder: give a datadog.yaml with --agent-config"));
    }

    [Test]
    public async Task Plan_AgentDirWithNoneOfTheAgentsFiles_SaysSoInOneLine()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_folder.DirectoryPath, "empty")).FullName;

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-dir", empty);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim(), Is.EqualTo(
            $"fwrules: cannot read the agent's configuration: --agent-dir {empty}: no datadog.yaml, system-probe.yaml, security-agent.yaml or conf.d: " +
            "not an agent's configuration folder"));
    }
}
