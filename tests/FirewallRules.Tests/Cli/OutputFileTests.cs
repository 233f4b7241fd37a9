using System.Runtime.Versioning;
using System.Text;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>--output</c> in the real process, against what a root host has at a path: a device, a directory, a full disk,
/// and a run killed with SIGKILL while it writes.
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[SupportedOSPlatform("linux")]
[Platform("Linux")]
[Category("RealTools")]
public sealed class OutputFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-output-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Aggregate_KilledMidWriteThenRunAgain_LeavesNoTemporaryAndTheLastGoodCopy()
    {
        string output = Path.Combine(_directory, "allow.txt");
        File.WriteAllText(output, "192.0.2.0/24\n");
        string input = WriteManyPrefixes(Path.Combine(_directory, "many.txt"), 200_000);

        string killedWith = KillMidWrite(["aggregate", input, "--output", output, "--quiet"]);
        Assert.That(File.ReadAllText(output), Is.EqualTo("192.0.2.0/24\n"), "the killed run left the last good copy");
        Assert.That(new FileInfo(killedWith).Length, Is.InRange(1, new FileInfo(input).Length), "SIGKILL left the temporary file part written");
        ProcessResult clean = await FwrulesProcess.RunAsync("198.51.100.0/24\n", "aggregate", "-", "--output", output, "--quiet");

        Assert.That(clean.ExitCode, Is.EqualTo(0), clean.Error);
        Assert.That(File.ReadAllText(output), Is.EqualTo("198.51.100.0/24\n"));
        Assert.That(Directory.GetFiles(_directory, "*.tmp"), Is.Empty, "the clean run removed the killed run's temporary file");
    }

    [Test]
    public async Task Generate_OutputToACharacterDevice_WritesThroughAndLeavesTheDevice()
    {
        LinuxTools.Require("mknod");
        string device = Path.Combine(_directory, "null");
        LinuxTools.Run("mknod", [device, "c", "1", "3"]).Succeeded(); // what /dev/null is

        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "--section", "logs", "--format", "nftables", "--output", device, "--quiet");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(LinuxTools.Run("stat", ["-c", "%F", device]).Succeeded(), Is.EqualTo("character special file\n"));
    }

    [TestCase("/", "fwrules: cannot write /: / is a directory\n")]
    [TestCase("/dev/full", "fwrules: cannot write /dev/full: No space left on device")]
    public async Task Generate_OutputThatCannotBeWritten_ExitsOneWithOneLine(string path, string message)
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "--section", "logs", "--format", "nftables", "--output", path, "--quiet");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.StartWith(message).And.EndWith("\n"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
        Assert.That(result.Output, Is.Empty);
    }

    private static string WriteManyPrefixes(string path, int count)
    {
        // Every other /32 of a spread of addresses: nothing merges, so the output is as large as the input.
        using var writer = new StreamWriter(path, append: false, Encoding.ASCII);
        for (uint i = 0; i < count; i++)
        {
            uint address = 0x0B000000u + (i * 6u);
            writer.Write($"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}\n");
        }

        return path;
    }

    /// <summary>
    /// Runs fwrules under strace, which sends it SIGKILL as it enters its third write to a file (pwrite64: the temporary file's
    /// third 248 KB chunk), so the kill lands mid-write on every machine, loaded or not; returns the temporary file's path.
    /// Watching for the file from here instead missed the write on a quiet run, which had taken a few milliseconds.
    /// </summary>
    private string KillMidWrite(string[] args)
    {
        Emitters.ToolResult killed = Emitters.ExternalTool.Run(Emitters.ExternalTool.Command("strace"),
            ["-f", "-qq", "-o", "/dev/null", "-e", "trace=pwrite64", "-e", "inject=pwrite64:signal=SIGKILL:when=3", FwrulesProcess.Tool, .. args]);
        string[] temporaries = Directory.GetFiles(_directory, "*.tmp", SearchOption.TopDirectoryOnly);

        Assert.That(killed.ExitCode, Is.EqualTo(128 + 9), $"SIGKILL at the third write: {killed.Error}");
        Assert.That(temporaries, Has.Length.EqualTo(1), "the killed run's temporary file");
        return temporaries[0];
    }
}
