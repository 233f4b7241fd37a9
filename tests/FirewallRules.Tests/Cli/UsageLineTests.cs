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
    [Category("RealTools")]
    public async Task Run_OptionWithoutTheValueItsCheckReads_RealProcessPrintsOneUsageLine(string line, params string[] args)
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo(line + "\n"));
        Assert.That(result.Output, Is.Empty);
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
