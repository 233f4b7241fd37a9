using System.Diagnostics;
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
public sealed class OutputFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-output-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Aggregate_KilledMidWriteThenRunAgain_LeavesNoTemporaryAndTheLastGoodCopy()
    {
        string output = Path.Combine(_directory, "allow.txt");
        File.WriteAllText(output, "192.0.2.0/24\n");
        string input = WriteManyPrefixes(Path.Combine(_directory, "many.txt"), 2_000_000);

        string killedWith = await KillMidWriteAsync(["aggregate", input, "--output", output, "--quiet"]);
        Assert.That(File.ReadAllText(output), Is.EqualTo("192.0.2.0/24\n"), "the killed run left the last good copy");
        Assert.That(File.Exists(killedWith), Is.True, "SIGKILL left the temporary file: the test killed the run mid-write");
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

    /// <summary>Starts fwrules and sends SIGKILL the moment its temporary file appears; returns that file's path.</summary>
    private async Task<string> KillMidWriteAsync(string[] args)
    {
        var start = new ProcessStartInfo(FwrulesProcess.Tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        args.ToList().ForEach(start.ArgumentList.Add);
        using Process process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!process.HasExited && !timeout.IsCancellationRequested)
        {
            if (Directory.GetFiles(_directory, "*.tmp", SearchOption.TopDirectoryOnly) is [string temporary, ..])
            {
                process.Kill(); // SIGKILL: no handler, no finally, no cleanup runs
                await process.WaitForExitAsync(timeout.Token);
                return temporary;
            }

            Thread.Sleep(1); // the other core stays free for fwrules
        }

        Assert.Fail($"fwrules finished (exit {(process.HasExited ? process.ExitCode : -1)}) before its temporary file was seen; make the input larger");
        return string.Empty;
    }
}
