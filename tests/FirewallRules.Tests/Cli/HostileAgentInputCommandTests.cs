using System.Diagnostics;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// The agent-configuration options as an operator can misuse them: an empty file name, a FIFO, <c>/dev/zero</c>, a
/// directory, a file too large, YAML the parser fails on, a value holding terminal escapes. Each is one line on stderr
/// and exit 1, in bounded time, with nothing on stdout but terminal-safe text.
/// </summary>
[TestFixture]
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
    public async Task EmptyAgentConfigName_IsOneLine()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", "");

        OneLine(result);
        Assert.That(result.Error, Is.EqualTo("fwrules: cannot read '' is not a file name\n"));
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
        var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x20000000" };
        var clock = Stopwatch.StartNew();

        ProcessResult result = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, "plan", "--agent-config", yaml);

        OneLine(result);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public async Task TerminalEscapes_InAConfigurationValue_NeverReachStdoutRaw()
    {
        string yaml = _files.Write("datadog.yaml", "cmd_host: \"\\e]0;pwned\\a\\e[31mevil\"\nbind_host: \"\\u202eevil\"\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", yaml);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("\\u001B]0;pwned\\u0007\\u001B[31mevil"));
        Assert.That(result.Output.Any(c => char.IsControl(c) && c != '\n') || result.Output.Contains('\u202e', StringComparison.Ordinal), Is.False);
    }

    private static async Task<ProcessResult> WithinAsync(Task<ProcessResult> run)
    {
        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.That(finished, Is.SameAs(run), "the run ended within 30 s");
        return await run;
    }
}
