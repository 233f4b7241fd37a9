using System.Runtime.InteropServices;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// Command lines an attacker's trial found ending in a stack trace, a success or a line that says more than it should, run as a
/// user runs them: the real fwrules, one usage line, exit 2.
/// </summary>
[TestFixture]
public sealed class UsageLineTests
{
    [TestCase("fwrules: Required argument missing for option: '-s'. See 'fwrules generate --help'.", "generate", "-f", "nftables", "-s")]
    [TestCase("fwrules: Required argument missing for option: '--section'. See 'fwrules generate --help'.", "generate", "-f", "nftables", "--section=")]
    [TestCase("fwrules: --section needs a value, not an empty word. See 'fwrules generate --help'.", "generate", "-f", "nftables", "--section", "")]
    [TestCase("fwrules: Required argument missing for option: '--group-id'. See 'fwrules sync --help'.", "sync", "-f", "aws-sg", "--group-id")]
    [TestCase("fwrules: Required argument missing for option: '--region'. See 'fwrules sync --help'.", "sync", "-f", "aws-prefix-list", "--region")]
    [TestCase("fwrules: unrecognized command extra. See 'fwrules --help'.", "--version", "extra")]
    [TestCase("fwrules: --format needs a value each time it is given. See 'fwrules generate --help'.", "generate", "-s", "logs", "--format", "iptables", "--format")]
    [TestCase("fwrules: --section needs a value each time it is given. See 'fwrules generate --help'.", "generate", "-f", "nftables", "--section", "logs", "--section")]
    [TestCase("fwrules: -s needs a value each time it is given. See 'fwrules generate --help'.", "generate", "-f", "nftables", "-q", "-s", "logs", "-s")]
    [TestCase("fwrules: --port needs a value each time it is given. See 'fwrules generate --help'.", "generate", "-f", "nftables", "-s", "logs", "--port", "443", "--port")]
    [TestCase("fwrules: --input needs a value each time it is given. See 'fwrules generate --help'.", "generate", "-f", "nftables", "--input", "/dev/null", "--input")]
    [TestCase("fwrules: --open dogstatsd: \"10.0.0.0/33\" is not a valid prefix: the prefix length is out of range for IPv4 (0-32)",
        "generate", "-f", "iptables", "--agent", "datadog", "--open", "dogstatsd=10.0.0.0/33")]
    [TestCase("fwrules: --open dogstatsd: names no network: write one, e.g. 10.0.0.0/8", "generate", "-f", "iptables", "--agent", "datadog", "--open", "dogstatsd=")]
    [TestCase("fwrules: --open dogstatsd: names no network: write one, e.g. 10.0.0.0/8", "generate", "-f", "iptables", "--agent", "datadog", "--open", "dogstatsd= , ")]
    [TestCase("fwrules: 'nope' is not a local listener of datadog: use one of expvar, ipc, gui, dogstatsd, apm",
        "generate", "-f", "iptables", "--agent", "datadog", "--feature", "nope")]
    [TestCase("fwrules: 'nope' is not a local listener of datadog: use one of expvar, ipc, gui, dogstatsd, apm",
        "generate", "-f", "iptables", "--agent", "datadog", "--open", "nope=10.0.0.0/8")]
    [TestCase("fwrules: 'dogstatsd' is opened to other networks but not selected: add it with --feature",
        "generate", "-f", "iptables", "--agent", "datadog", "--feature", "apm", "--open", "dogstatsd=10.0.0.0/8")]
    [TestCase("fwrules: --agent-network: \"fe80::/129\" is not a valid prefix: the prefix length is out of range for IPv6 (0-128)",
        "privatelink", "-f", "terraform", "--site", "us1", "--endpoint-subnet", "10.0.0.0/24", "--agent-network", "fe80::/129")]
    [TestCase("fwrules: --otlp: 'http://***@host/p?***' is not an OTLP/HTTP receiver's http(s) URL, such as http://localhost:4318. See 'fwrules serve --help'.",
        "serve", "--offline", "--otlp", "http://user:SECRET@host/p?sig=TOKEN")]
    [TestCase("fwrules: --version stands alone, not with --help. See 'fwrules --help'.", "--version", "--help")]
    [TestCase("fwrules: --version stands alone, not with --help. See 'fwrules --help'.", "--help", "--version")]
    [Category("RealTools")]
    public async Task Run_OptionWithoutTheValueItsCheckReads_RealProcessPrintsOneUsageLine(string line, params string[] args)
    {
        // Also what the parser lets pass: an option given again without its value (it keeps the first), --version beside another option.
        ProcessResult result = await FwrulesProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo(line + "\n"));
        Assert.That(result.Output, Is.Empty);
    }

    [TestCase("generate --notify https://hooks.example/T0KEN-s3cret\n",
        "fwrules: an unrecognized option in response file @{0} (its words are not shown). See 'fwrules generate --help'.")]
    [TestCase("generate\n-f nftables -s logs\n--direction T0KEN-s3cret\n",
        "fwrules: --direction as response file @{0} gives it is refused (its words are not shown). See 'fwrules generate --help'.")]
    [TestCase("generate -f nftables -s T0KEN-s3cret\n", "fwrules: a word of response file @{0} is refused (its words are not shown). See 'fwrules generate --help'.")]
    public async Task Run_ResponseFileWordRefused_TheLineNamesTheFileNeverItsWords(string text, string line)
    {
        using var files = new TempFiles();
        string path = files.Write("args.rsp", text);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, $"@{path}");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, path) + "\n"));
        Assert.That(result.Error, Does.Not.Contain("s3cret").And.Not.Contain("T0KEN"));
    }

    [Test]
    public async Task Run_ResponseFileRead_AWordOfTheCommandLineItselfIsStillQuoted()
    {
        using var files = new TempFiles();
        string path = files.Write("args.rsp", "-f nftables -s logs\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", $"@{path}", "--direction", "sideways");

        Assert.That(result.Error, Is.EqualTo("fwrules: 'sideways' is not a value of --direction: use one of egress, ingress. See 'fwrules generate --help'.\n"));
    }

    // Response files the parser followed without end (two naming each other spun at full CPU), read without end (/dev/zero
    // crashed) or waited on forever (a FIFO): one line, exit 2, before anything is parsed. {0} is the files' folder.
    [TestCase("loop", "fwrules: response file @{0}/r1 names itself (through @{0}/r2): a response file may name others, never itself. See 'fwrules --help'.")]
    [TestCase("self", "fwrules: response file @{0}/r1 names itself: a response file may name others, never itself. See 'fwrules --help'.")]
    [TestCase("nine-deep", "fwrules: response file @{0}/r9 is nested more than 8 deep (in @{0}/r8). See 'fwrules --help'.")]
    [TestCase("zero", "fwrules: response file @/dev/zero is a character device, not a regular file. See 'fwrules --help'.")]
    [TestCase("fifo", "fwrules: response file @{0}/r1 is a FIFO, not a regular file. See 'fwrules --help'.")]
    [TestCase("large", "fwrules: response file @{0}/r1 is larger than the 64 MiB a file of this kind may be. See 'fwrules --help'.")]
    [TestCase("open-quote", "fwrules: response file @{0}/r1, line 3: a quote (\") without its end. See 'fwrules --help'.")]
    [TestCase("fan-out", "fwrules: the response files of this command line come to more than 64 Mi characters, each counted as often as it is named. See 'fwrules --help'.")]
    [Category("RealTools")]
    public async Task Run_ResponseFileWithoutEnd_RealProcessPrintsOneUsageLine(string kind, string line)
    {
        using var files = new TempFiles();

        ProcessResult result = await FwrulesProcess.RunAsync(null, $"@{ResponseFileCase(files, kind)}");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, files.DirectoryPath) + "\n"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task Run_ResponseFilesNestedEightDeep_AreRead()
    {
        using var files = new TempFiles();
        for (int n = 1; n <= 8; n++)
        {
            files.Write($"r{n}", n == 8 ? "-f nftables -s logs\n" : $"@{Path.Combine(files.DirectoryPath, $"r{n + 1}")}\n");
        }

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", $"@{Path.Combine(files.DirectoryPath, "r1")}", "--", "@not-a-file");

        Assert.That(result.Error, Does.StartWith("fwrules: unrecognized argument @not-a-file."), "a word after -- is no response file");
        result = await FwrulesInProcess.RunAsync(null, "generate", $"@{Path.Combine(files.DirectoryPath, "r1")}");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("table inet"));
    }

    [TestCase("diff", "-s", "fwrules: unrecognized option -s. See 'fwrules diff --help'.")]
    [TestCase("diff", "--hlep", "fwrules: unrecognized option --hlep; did you mean --help? See 'fwrules diff --help'.")]
    public async Task Run_UnknownShortOption_SuggestsNoHelpAliasNorAChanceLetter(string verb, string option, string line)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, verb, option);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo(line + "\n"));
    }

    // The files of a case of Run_ResponseFileWithoutEnd_RealProcessPrintsOneUsageLine; the first one's path.
    private static string ResponseFileCase(TempFiles files, string kind)
    {
        string R(int n) => Path.Combine(files.DirectoryPath, $"r{n}");
        switch (kind)
        {
            case "loop":
                files.Write("r1", $"generate\n@{R(2)}\n");
                files.Write("r2", $"-f nftables\n@{R(1)}\n");
                break;
            case "self":
                files.Write("r1", $"generate @{R(1)}\n");
                break;
            case "nine-deep":
                for (int n = 1; n <= 9; n++)
                {
                    files.Write($"r{n}", n == 9 ? "generate\n" : $"@{R(n + 1)}\n");
                }

                break;
            case "zero":
                return "/dev/zero";
            case "fifo":
                Assert.That(MakeFifo(System.Text.Encoding.UTF8.GetBytes(R(1) + "\0"), Convert.ToUInt32("600", 8)), Is.Zero, "mkfifo");
                break;
            case "open-quote":
                files.Write("r1", "generate\n# a \"comment\n-f nftables -s \"agents\n");
                break;
            case "large":
                using (FileStream large = File.Create(R(1)))
                {
                    large.SetLength((64L * 1024 * 1024) + 1);
                }

                break;
            default:
                // 65 times a file of a million characters: each file small, what they expand to too large.
                files.Write("r2", new string('x', 1 << 20) + "\n");
                files.Write("r1", string.Concat(Enumerable.Repeat($"@{R(2)}\n", 65)));
                break;
        }

        return R(1);
    }

    // DllImport rather than LibraryImport: the signature is blittable, and the test project stays free of unsafe code. mkfifo(3)
    // in process: a FIFO made by the mkfifo tool would make this fixture one that starts a real tool.
    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(byte[] path, uint mode);
}
