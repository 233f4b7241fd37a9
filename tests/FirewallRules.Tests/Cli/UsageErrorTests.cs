namespace FirewallRules.Tests.Cli;

/// <summary>What a user sees when the command line is wrong or empty.</summary>
[TestFixture]
public class UsageErrorTests
{
    [Test]
    public async Task Run_MistypedOption_NamesItAndTheNearestOption()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "--fromat", "nftables", "-s", "logs");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("fwrules: unrecognized option --fromat; did you mean --format?"));
        Assert.That(result.Error, Does.Not.Contain("nftables").And.Not.Contain("required"), "the typo is the root cause: one line");
    }

    [TestCase("aggregate", "--maxx", "--maxx; did you mean --max?")]
    [TestCase("diff", "a.json", "--formt", "--formt; did you mean --format?")]
    [TestCase("aggregate", "--bogus", "--bogus.")]
    public async Task Run_MistypedOptionWhereAFileNameCanStand_NamesItAsAnOption(params string[] args)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync("10.0.0.0/8\n", args[..^1]);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith($"fwrules: unrecognized option {args[^1]} See 'fwrules {args[0]} --help'.\n"));
    }

    [TestCase("fwrules: 'sideways' is not a value of --direction: use one of egress, ingress. See 'fwrules generate --help'.",
        "generate", "-f", "nftables", "-s", "logs", "--direction", "sideways", "--family", "ipv5")]
    [TestCase("fwrules: unrecognized option --x. See 'fwrules sync --help'.", "sync", "--x", "--y")]
    public async Task Run_TwoBadOptions_OneLineNamingTheFirstAndExitTwo(string line, params string[] args)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo(line + "\n"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task Run_MistypedVerb_NamesTheNearestVerb()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "genrate", "-f", "nftables");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("unrecognized command genrate; did you mean generate?"));
        Assert.That(result.Error, Is.EqualTo("fwrules: unrecognized command genrate; did you mean generate? See 'fwrules --help'.\n"));
    }

    [TestCase("generate", "--format", "nftables", "--direction", "sideways")]
    [TestCase("aggregate", "--max", "0")]
    public async Task Run_UsageErrorInAVerb_PointsAtTheVerbsHelp(params string[] args)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync("10.0.0.0/8\n", args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.EndWith($" See 'fwrules {args[0]} --help'.\n"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain('\n'), "a usage error is one line");
    }

    [Test]
    public async Task Generate_FormatInUpperCase_IsTheSameFormat()
    {
        ProcessResult upper = await FwrulesInProcess.RunAsync(null, "generate", "-f", "NFTables", "-s", "Logs");
        ProcessResult lower = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "-s", "logs");

        Assert.That(upper.ExitCode, Is.EqualTo(0), upper.Error);
        Assert.That(upper.Output, Is.EqualTo(lower.Output));
    }

    [TestCase("NFTables")]
    [TestCase("IPTABLES-IPSET-SCRIPT")]
    public void Sync_FormatInUpperCase_IsTheSameFormat(string format)
    {
        var root = FirewallRules.Cli.CliApp.CreateRoot(new FirewallRules.Cli.CliConsole(() => Stream.Null, () => Stream.Null, TextWriter.Null, false));

        System.CommandLine.ParseResult parsed = root.Parse(["sync", "-f", format]);

        Assert.That(parsed.Errors.Select(e => e.Message), Is.Empty);
        Assert.That(parsed.GetValue<string>("--format"), Is.EqualTo(format.ToLowerInvariant()));
    }

    [Test]
    public void Verbs_EachShortOption_MeansOneLongOptionAcrossVerbs()
    {
        var root = FirewallRules.Cli.CliApp.CreateRoot(new FirewallRules.Cli.CliConsole(() => Stream.Null, () => Stream.Null, TextWriter.Null, false));
        var meanings = root.Subcommands
            .SelectMany(verb => verb.Options.Concat(root.Options))
            .SelectMany(option => option.Aliases.Where(alias => alias.Length == 2).Select(alias => (Alias: alias, Option: option.Name)))
            .GroupBy(pair => pair.Alias, pair => pair.Option)
            .ToDictionary(group => group.Key, group => group.Distinct().ToArray());

        Assert.That(meanings.Keys, Does.Contain("-s").And.Contain("-f"), "the short options exist");
        Assert.That(meanings.Where(m => m.Value.Length > 1).Select(m => $"{m.Key}: {string.Join(", ", m.Value)}"), Is.Empty);
    }
}
