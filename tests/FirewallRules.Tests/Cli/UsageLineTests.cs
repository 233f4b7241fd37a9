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

    [TestCase("diff", "-s", "fwrules: unrecognized option -s. See 'fwrules diff --help'.")]
    [TestCase("diff", "--hlep", "fwrules: unrecognized option --hlep; did you mean --help? See 'fwrules diff --help'.")]
    public async Task Run_UnknownShortOption_SuggestsNoHelpAliasNorAChanceLetter(string verb, string option, string line)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, verb, option);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo(line + "\n"));
    }
}
