using System.Text.RegularExpressions;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// The command line as a new user meets it: help that prints each default once in the form the option takes, a
/// mistyped section handled as the other mistyped words are, the tool's own wording for a missing option,
/// <c>diff --exit-code</c>, and counts with their plurals.
/// </summary>
[TestFixture]
public sealed partial class HelpAndUsageTests
{
    private static readonly string[] Verbs = ["generate", "privatelink", "aggregate", "fetch", "sync", "verify", "serve", "diff", "sections", "sites", "ports", "plan", "formats"];

    [Test]
    public async Task Run_NoArguments_IsOneUsageLineNamingTheVerbsAndTheHelp()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Is.EqualTo($"fwrules: a command is required: {string.Join(", ", Verbs)}. See 'fwrules --help'.\n"));
    }

    [TestCaseSource(nameof(Verbs))]
    public async Task Help_EveryVerb_PrintsEachDefaultOnceInTheFormTheOptionTakes(string verb)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, verb, "--help");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(DotNetTimeSpan().IsMatch(result.Output), Is.False, "no default in .NET's TimeSpan form:\n" + result.Output);
        Assert.That(result.Output, Does.Not.Contain("[default: US1 (datadoghq.com)]"));
        foreach (string row in OptionRows(result.Output))
        {
            // A flag several formats take gives each format's default after its own help, once.
            Assert.That(Regex.Matches(row, @"Default: [^.]*\.").Select(m => m.Value), Is.Unique, $"a default printed twice: {row}");
            Assert.That(row, Does.Not.Contain("[default:").And.Not.Contain("(default").And.Not.Contain("(the default)").And.Not.Match(@"\bdefault \d"),
                $"a default in another style than 'Default: X.': {row}");
        }
    }

    [TestCase("sync", "--keep-removed", "Default: 24h.")]
    [TestCase("sync", "--lock-wait", "Default: 60s.")]
    [TestCase("sync", "--site", "Default: us1.")]
    [TestCase("sync", "--family", "Default: both.")]
    [TestCase("generate", "--family", "Default: both, or the one family of a format that holds one (iptables: ipv4).")]
    [TestCase("verify", "--timeout", "Default: 3s.")]
    [TestCase("verify", "--agent-version", "Default: the Helm image tag, else the newest agent this tool knows (" + TestAgent.Version + "), " +
        "whose versioned host names the allow-lists by name then hold for any version.")]
    [TestCase("generate", "--retries", "Default: 3.")]
    [TestCase("generate", "--rules-per-group", "Default: 60.")]
    [TestCase("generate", "--namespace", "kubernetes, cilium, calico: the policies' namespace. Default: datadog. " +
        "ingress-nginx, traefik: the Ingress's or Middleware's namespace. Default: default.")]
    [TestCase("generate", "--egress-hook", "Default: OUTPUT.")]
    [TestCase("generate", "--deny-priority", "Azure (100-4096): the priority of the last deny the output adds in a direction, the others just below. Default: 4096. " +
        "gcp-firewall and terraform-gcp (0-65535): the same. Default: 65534.")]
    public async Task Help_OptionWithADefault_ShowsIt(string verb, string option, string shown)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, verb, "--help");

        Assert.That(OptionRows(result.Output).Single(row => row.TrimStart().StartsWith(option + " ", StringComparison.Ordinal)), Does.EndWith(shown));
    }

    [Test]
    public async Task Help_CommandList_ShowsOptionalArgumentsInBracketsWithEveryDescriptionAligned()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "--help");

        string commands = result.Output[result.Output.IndexOf("\nCommands:\n", StringComparison.Ordinal)..];
        int[] columns = [.. CommandRow().Matches(commands).Select(row => row.Groups["description"].Index - row.Index)];
        Assert.That(commands, Does.Contain("\n  sites [<site>]  ").And.Contain("\n  aggregate [<FILE>]  ").And.Not.Contain("sites <site>"));
        Assert.That(columns, Has.Length.GreaterThan(10).And.All.EqualTo(columns[0]), "every command's description starts in one column");
    }

    [TestCase("generate", "-f", "nftables", "-s", "log")]
    [TestCase("generate", "-f", "nftables", "--section", "logs,synthetic")]
    [TestCase("sync", "-f", "nftables", "-s", "log")]
    public async Task MistypedSection_IsAUsageErrorWithTheNearestSection(params string[] args)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(
            result.Error,
            Does.Match(@"^fwrules: '(log|synthetic)' is not a section: use one of agents, .*; see 'fwrules sections'\. Did you mean '(logs|synthetics)'\? " +
                $@"See 'fwrules {args[0]} --help'\.\n$"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task VerifyMistypedSection_NamesTheNearestSectionWithAnEndpoint()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "verify", "--site", "us1", "-s", "log");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("Did you mean 'logs'?"));
    }

    [Test]
    public async Task SectionUnknownToThisVersion_WithAPort_IsLeftToTheDocument()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "list", "-s", "metrics", "--port", "443");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("has no section 'metrics'; it has agents, api, apm"));
    }

    [TestCase("generate -s logs", "fwrules: generate needs --format FORMAT. See 'fwrules generate --help'.\n")]
    [TestCase("privatelink -f terraform", "fwrules: privatelink needs --site SITE: the Datadog site: us1, us3, us5")]
    public async Task MissingRequiredOption_IsSaidInTheToolsOwnWords(string command, string expected)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, command.Split(' '));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith(expected).And.Not.Contain("Option '"));
    }

    [TestCase(46, 47, 1)]
    [TestCase(47, 47, 0)]
    public async Task DiffExitCode_OneWhenTheDocumentsDiffer(int older, int newer, int exitCode)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "diff", "--exit-code", FetchTesting.Document(older), FetchTesting.Document(newer));
        ProcessResult without = await FwrulesInProcess.RunAsync(null, "diff", FetchTesting.Document(older), FetchTesting.Document(newer));

        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Error);
        Assert.That(result.Output, Is.EqualTo(without.Output), "the same diff is printed");
        Assert.That(without.ExitCode, Is.Zero);
    }

    [Test]
    public async Task Diff_DocumentsWithDatesInTwoForms_PrintsBothInOneForm()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "diff", FetchTesting.Document(52), FetchTesting.Document(59));

        Assert.That(result.Output, Does.StartWith("ip-ranges version 52 (2022-11-14T22:00:00Z) -> version 59 (2024-10-17T00:00:00Z)\n"));
    }

    [Test]
    public async Task Generate_OneIPv4PrefixAndNoIPv6_CountsThemInThePlural()
    {
        string document = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"one-prefix-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, """{"version":1,"modified":"2024-01-01-00-00-00","logs":{"prefixes_ipv4":["8.8.8.0/24"],"prefixes_ipv6":[]}}""");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "-s", "logs", "-i", document);
        ProcessResult aggregate = await FwrulesInProcess.RunAsync("8.8.8.0/24\n", "aggregate");
        File.Delete(document);

        Assert.That(result.Error, Does.EndWith("; 2 port rules, 1 IPv4 and 0 IPv6 prefixes\n"));
        Assert.That(aggregate.Error, Does.StartWith("aggregate: 1 prefix in, 1 out"));
    }

    /// <summary>Each option's row of a help text, its wrapped lines joined.</summary>
    private static IEnumerable<string> OptionRows(string help)
    {
        string options = help[help.IndexOf("Options:\n", StringComparison.Ordinal)..];
        return OptionRow().Split(options).Skip(1).Select(row => Regex.Replace(row, @"\s+", " ").Trim());
    }

    [GeneratedRegex(@"\[default: [^\]]*\d\d:\d\d:\d\d")]
    private static partial Regex DotNetTimeSpan();

    [GeneratedRegex(@"\n(?=  -)")]
    private static partial Regex OptionRow();

    // A command's row: its name (and arguments) after two spaces, then two or more spaces, then its description.
    [GeneratedRegex(@"(?<=\n)  [a-z]\S*(?: \S+)*? {2,}(?<description>\S)")]
    private static partial Regex CommandRow();
}
