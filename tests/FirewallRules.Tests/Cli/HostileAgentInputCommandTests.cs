using System.Diagnostics;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// The agent-configuration options as an operator can misuse them: an empty file name (a usage error, exit 2), a FIFO,
/// <c>/dev/zero</c>, a directory, a file too large, YAML the parser fails on, a value holding terminal escapes. Each is one
/// line on stderr and exit 1, in bounded time, with nothing on stdout but terminal-safe text.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class HostileAgentInputCommandTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private static void OneLine(ProcessResult result, int code = 1)
    {
        Assert.That(result.ExitCode, Is.EqualTo(code), result.Error);
        Assert.That(result.Error, Does.StartWith("fwrules: "));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
    }

    [Test]
    public async Task EmptyAgentConfigName_IsAUsageError()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", "");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo("fwrules: --agent-config needs a file name. See 'fwrules plan --help'.\n"));
    }

    [TestCase("--agent-config")]
    [TestCase("--agent-env")]
    [TestCase("--helm-values")]
    public async Task DevZero_IsRefusedNotReadWithoutEnd(string option)
    {
        ProcessResult result = await WithinAsync(FwrulesInProcess.RunAsync(null, "plan", option, "/dev/zero"));

        OneLine(result);
        Assert.That(result.Error, Does.Contain("/dev/zero is a character device, not a regular file"));
    }

    [Test]
    [Platform("Linux")]
    public async Task Fifo_IsRefusedNotWaitedOn()
    {
        LinuxTools.Require("mkfifo");
        string fifo = Path.Combine(_files.DirectoryPath, "datadog.yaml");
        LinuxTools.Run("mkfifo", [fifo]).Succeeded();

        ProcessResult result = await WithinAsync(FwrulesInProcess.RunAsync(null, "plan", "--agent-config", fifo));

        OneLine(result);
        Assert.That(result.Error, Does.Contain("is a FIFO, not a regular file"));
    }

    [Test]
    public async Task Directory_AndTooLarge_AreOneLine()
    {
        OneLine(await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", _files.DirectoryPath));
        string large = _files.Write("large.yaml", "# " + new string('x', 5 * 1024 * 1024) + "\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", large);

        OneLine(result);
        Assert.That(result.Error, Does.Contain("larger than the 4 MiB"));
    }

    [TestCase("--agent-config")]
    [TestCase("--helm-values")]
    [TestCase("--datadog-agent")]
    [Platform("Linux")]
    public async Task LinkToAFileThatFailsWhenRead_IsOneLineNamingTheFile(string option)
    {
        // /proc/self/mem is a regular file whose first page is not mapped: opening it succeeds, reading fails (EIO).
        string link = Path.Combine(_files.DirectoryPath, "datadog.yaml");
        File.CreateSymbolicLink(link, "/proc/self/mem");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", option, link);

        OneLine(result);
        Assert.That(result.Error, Does.Contain($"{link}: ").And.Contain("Input/output error"));
    }

    [Test]
    public async Task UnclosedFlowSequence_InTheRealProcess_IsOneLineExitOne()
    {
        string yaml = _files.Write("datadog.yaml", "site: datadoghq.com\napm_config: [true\n");

        ProcessResult result = await FwrulesProcess.RunAsync(null, "plan", "--agent-config", yaml);

        OneLine(result);
        Assert.That(result.Error, Does.Contain("datadog.yaml:"));
    }

    [Test]
    public async Task AliasBomb_InTheRealProcess_IsRefusedWithinBoundedMemory()
    {
        string yaml = _files.Write("datadog.yaml", "a: &a {b: *a}\n");
        Dictionary<string, string> environment = FwrulesProcess.HeapLimit(512);
        var clock = Stopwatch.StartNew();

        ProcessResult result = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, "plan", "--agent-config", yaml);

        OneLine(result);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public async Task HeapLimit_TheBoundedMemoryTestsGive_BindsTheToolTheyStart()
    {
        // The bounds above hold only if the limit is read: far below what any run needs, it stops the run.
        ProcessResult bounded = await FwrulesProcess.RunWithEnvironmentAsync(FwrulesProcess.HeapLimit(1), null, "generate", "--section", "logs", "--format", "nftables");
        ProcessResult free = await FwrulesProcess.RunWithEnvironmentAsync(FwrulesProcess.HeapLimit(512), null, "generate", "--section", "logs", "--format", "nftables");

        Assert.That(bounded.ExitCode, Is.Not.Zero, bounded.Output);
        Assert.That(free.ExitCode, Is.Zero, free.Error);
    }

    [Test]
    public async Task TerminalEscapes_InAConfigurationValue_NeverReachTheTerminalRaw()
    {
        string yaml = _files.Write("datadog.yaml", "bind_host: \"\\e]0;pwned\\a\\e[31mevil\\u202e\"\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", yaml);

        Assert.That(result.ExitCode, Is.EqualTo(1), "no address to listen on: refused");
        Assert.That(result.Error, Does.Contain("bind_host: must be an address or host name to listen on"));
        foreach (string shown in new[] { result.Output, result.Error })
        {
            Assert.That(shown.Any(c => char.IsControl(c) && c != '\n') || shown.Contains('\u202e', StringComparison.Ordinal), Is.False, shown);
        }
    }

    [Test]
    public async Task MergeKeyInAListItem_InTheRealProcess_IsReadAsTheAgentReadsIt()
    {
        string yaml = _files.Write("datadog.yaml",
            "api_key: abc\nnetwork_devices:\n  netflow:\n    enabled: true\n    listeners:\n      - &flow {flow_type: ipfix, port: 4800}\n      - <<: *flow\n        port: 4801\n");

        ProcessResult result = await FwrulesProcess.RunAsync(null, "plan", "--agent-config", yaml);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Match(@"netflow-ipfix +4800/udp").And.Match(@"netflow-ipfix +4801/udp"), "the second listener is ipfix by its merge key");
        Assert.That(result.Output, Does.Not.Contain("netflow-netflow9"));
    }

    [Test]
    public async Task MergeKeyInAHelmEnvEntryAndInTheEndpointsMap_InTheRealProcess_AreReadAsTheAgentReadsThem()
    {
        string values = _files.Write("values.yaml",
            "datadog:\n  apiKey: abc\n  env:\n    - &e {name: DD_SITE, value: datadoghq.com}\n    - <<: *e\n      value: datadoghq.eu\n");
        string yaml = _files.Write("datadog.yaml",
            "api_key: abc\nadditional_endpoints:\n  <<: {\"https://app.datadoghq.eu\": [k1]}\n  \"https://app.datadoghq.com\": [k2]\n");

        ProcessResult helm = await FwrulesProcess.RunAsync(null, "plan", "--helm-values", values);
        ProcessResult endpoints = await FwrulesProcess.RunAsync(null, "plan", "--agent-config", yaml);

        Assert.That((helm.ExitCode, endpoints.ExitCode), Is.EqualTo((0, 0)), helm.Error + endpoints.Error);
        Assert.That(helm.Output, Does.Contain("sending to EU1 (datadoghq.eu)"), "the later DD_SITE entry, named by its merge key");
        Assert.That(endpoints.Output, Does.Match($@"metrics +{TestAgent.InHostNames}-app\.agent\.datadoghq\.eu +443/tcp"),
            "the merged endpoint is planned, not refused as 'not a URL'");
    }

    [Test]
    public async Task MergeKeysInListItems_ExpandingPastTheBound_AreRefusedWithinBoundedMemory()
    {
        // Ten levels, each list item merging the nine items of the level below: 9^10 maps once expanded.
        var text = new System.Text.StringBuilder("api_key: abc\nl0: &l0 {port: 1}\n");
        for (int level = 1; level <= 10; level++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"l{level}: &l{level}\n");
            for (int item = 0; item < 9; item++)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - <<: *l{level - 1}\n");
            }
        }

        text.Append("network_devices:\n  netflow:\n    enabled: true\n    listeners: *l10\n");
        string yaml = _files.Write("datadog.yaml", text.ToString());
        Dictionary<string, string> environment = FwrulesProcess.HeapLimit(512);
        var clock = Stopwatch.StartNew();

        ProcessResult result = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, "plan", "--agent-config", yaml);

        OneLine(result);
        Assert.That(result.Error, Does.Contain("datadog.yaml:").And.Contain("expands to more than 200000 nodes"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
    }

    [TestCase("api_key: abc\nsite: datadoghq.eu\nlogs_enabled: true\nsite: datadoghq.com\n", 4, "the key site is set twice in one map (first at line 2)")]
    [TestCase("api_key: abc\nlogs_config:\n  use_http: true\n  logs_dd_url: a.example:443\n  use_http: false\n", 5, "the key use_http is set twice in one map (first at line 3)")]
    [TestCase(
        "api_key: abc\nnetwork_devices:\n  netflow:\n    enabled: true\n    listeners:\n      - {port: 4800, port: 4801}\n", 6,
        "the key port is set twice in one map (first at line 6)")]
    [TestCase(
        "api_key: abc\nadditional_endpoints:\n  \"https://user:hunter2@app.datadoghq.eu\": [k1]\n  \"https://user:hunter2@app.datadoghq.eu\": [k2]\n", 4,
        "the key https://***@app.datadoghq.eu is set twice in one map (first at line 3)")]
    public async Task DuplicateKey_InTheRealProcess_IsOneLineNamingTheFileBothLinesAndNoValue(string text, int line, string problem)
    {
        string yaml = _files.Write("datadog.yaml", text);

        ProcessResult result = await FwrulesProcess.RunAsync(null, "plan", "--agent-config", yaml);

        OneLine(result);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Is.EqualTo(
            $"fwrules: {yaml}:{line}: {problem}: refused, as the agent's YAML library may read either; remove one\n"));
        // The file's path is random ("/tmp/fwrules-out-Afk1Zg"): only what follows it is looked at for the values.
        Assert.That(result.Error.Replace(yaml, "FILE", StringComparison.Ordinal),
            Does.Not.Contain("hunter2").And.Not.Contain("k1").And.Not.Contain("datadoghq.com"));
    }

    private static async Task<ProcessResult> WithinAsync(Task<ProcessResult> run)
    {
        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.That(finished, Is.SameAs(run), "the run ended within 30 s");
        return await run;
    }
}
