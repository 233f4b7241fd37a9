using System.CommandLine;
using System.Text.RegularExpressions;
using FirewallRules.Cli;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>The shipped systemd units and the README's cron line: valid for systemd, and their fwrules command lines valid for fwrules.</summary>
[TestFixture]
[Category("RealTools")]
public partial class DeploymentTests
{
    private static string Units => Path.Combine(TestData.RepositoryRoot, "deploy", "systemd");

    [Test]
    public void SystemdUnits_SystemdAnalyzeVerify_FindsNothingToSay()
    {
        LinuxTools.Require("systemd-analyze");
        string directory = Directory.CreateTempSubdirectory("fwrules-units-").FullName;
        try
        {
            // verify also checks that ExecStart's program exists: point it at the fwrules built with the tests.
            string tool = FwrulesProcess.Tool;
            foreach (string unit in Directory.GetFiles(Units))
            {
                File.WriteAllText(Path.Combine(directory, Path.GetFileName(unit)), File.ReadAllText(unit).Replace("/usr/local/bin/fwrules", tool, StringComparison.Ordinal));
            }

            ToolResult verified = LinuxTools.Run("systemd-analyze", ["verify", .. Directory.GetFiles(directory).Order(StringComparer.Ordinal)]);

            Assert.That((verified.ExitCode, verified.Error + verified.Output), Is.EqualTo((0, string.Empty)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("fwrules-sync.service")]
    [TestCase("fwrules-boot.service")]
    [TestCase("fwrules-web-sync.service")]
    public void ServiceExecStart_IsAValidSyncCommandLine(string unit)
    {
        string service = File.ReadAllText(Path.Combine(Units, unit));
        string command = ExecStart().Match(service).Groups[1].Value;

        AssertParses(command);
    }

    [TestCase("fwrules-sync.service")]
    [TestCase("fwrules-boot.service")]
    [TestCase("fwrules-web-sync.service")]
    public void Service_Stop_SendsSigtermToFwrulesAloneAndSaysWhy(string unit)
    {
        string service = File.ReadAllText(Path.Combine(Units, unit));
        string[] lines = service.Split('\n');
        int killMode = Array.FindIndex(lines, line => line.StartsWith("KillMode=", StringComparison.Ordinal));

        // mixed: the nft, ipset or iptables-restore under way finishes its step; fwrules stops at the next one.
        Assert.That(killMode, Is.GreaterThan(0), "no KillMode=");
        Assert.That(lines[killMode], Is.EqualTo("KillMode=mixed"));
        Assert.That(lines[killMode - 1], Does.StartWith("#"), "the reason is written above it");
        Assert.That(lines.Where(line => line.StartsWith("KillMode=", StringComparison.Ordinal)), Has.Exactly(1).Items);
    }

    [Test]
    public void HostSyncGuideCronLine_IsAValidSyncCommandLine()
    {
        string guide = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "operations", "host-sync.md"));
        Match cron = CronLine().Match(guide);

        Assert.That(cron.Success, Is.True, "the host sync guide shows the cron line");
        AssertParses(cron.Groups[1].Value);
    }

    private static void AssertParses(string command)
    {
        string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(words[0], Is.EqualTo("/usr/local/bin/fwrules"));
        ParseResult parsed = CliApp.CreateRoot(new CliConsole(() => Stream.Null, () => Stream.Null, TextWriter.Null, false)).Parse(words[1..]);

        Assert.That(parsed.Errors.Select(e => e.Message), Is.Empty, command);
        Assert.That(parsed.CommandResult.Command.Name, Is.EqualTo("sync"));
    }

    [GeneratedRegex(@"^ExecStart=(.+)$", RegexOptions.Multiline)]
    private static partial Regex ExecStart();

    // The crontab line: five time fields, the user, then the command up to a redirection.
    [GeneratedRegex(@"^[*/0-9,-]+ [*/0-9,-]+ [*/0-9,-]+ [*/0-9,-]+ [*/0-9,-]+ root (/usr/local/bin/fwrules sync [^>\n]+?)\s*(?:>|$)", RegexOptions.Multiline)]
    private static partial Regex CronLine();
}
