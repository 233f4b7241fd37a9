using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Documentation;

/// <summary>
/// The synopsis at the top of docs/guides/command-line.md against the tool's own help: every verb has its lines, and
/// every option a verb's <c>--help</c> lists (and every format sync takes) is in them.
/// </summary>
[TestFixture]
public partial class CommandLineSynopsisTests
{
    // Listed together on the synopsis's last line, and --quiet, --help and --version are said once under it.
    private static readonly string[] Listings = ["sites", "ports", "formats"];

    private static readonly string[] Verbs = ["generate", "plan", "aggregate", "diff", "fetch", "sync", "verify", "privatelink", "serve", "sections"];

    [TestCaseSource(nameof(Verbs))]
    public async Task Synopsis_VerbsHelp_EveryOptionIsInTheVerbsLines(string verb)
    {
        ProcessResult help = await FwrulesInProcess.RunAsync(null, verb, "--help");
        string lines = Synopsis().GetValueOrDefault(verb, string.Empty);

        string[] options = [.. OptionName().Matches(help.Output[help.Output.IndexOf("Options:", StringComparison.Ordinal)..])
            .Select(m => m.Groups["name"].Value).Where(name => name is not "--help" and not "--quiet").Distinct()];
        Assert.That(options, Is.Not.Empty, help.Output);
        Assert.That(options.Where(option => !Regex.IsMatch(lines, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])")), Is.Empty, $"missing from fwrules {verb}'s synopsis:\n{lines}");
    }

    [Test]
    public async Task Synopsis_Sync_NamesEveryFormatSyncTakes()
    {
        ProcessResult help = await FwrulesInProcess.RunAsync(null, "sync", "--help");
        string lines = Synopsis()["sync"];

        string formats = SyncFormats().Match(help.Output).Groups["formats"].Value;
        Assert.That(formats, Does.Contain("aws-prefix-list"), help.Output);
        Assert.That(formats.Split(", ").Where(format => !lines.Contains(format, StringComparison.Ordinal)), Is.Empty, lines);
    }

    [Test]
    public async Task SyncHelp_ExitCodes_AreThePagesAndARefusalIsFiveNotFour()
    {
        ProcessResult help = await FwrulesInProcess.RunAsync(null, "sync", "--help");
        string paragraph = help.Output[help.Output.IndexOf("Exit codes:", StringComparison.Ordinal)..].Split("\n\n")[0];
        Dictionary<int, string> clauses = HelpExitCode().Matches(paragraph)
            .ToDictionary(m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture), m => m.Groups["text"].Value);
        string page = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "guides", "command-line.md"));
        int[] table = [.. PageExitCode().Matches(page).Select(m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture))];

        Assert.That(clauses.Keys.Append(2).Order(), Is.EqualTo(table.Order()), $"the page's exit codes but 2 (usage, every verb's) are sync's:\n{paragraph}");
        Assert.That(clauses[5], Does.Contain("refused"), paragraph);
        Assert.That(clauses[4], Does.Not.Contain("refused"), "a refused document exits 5, never 4");
    }

    [Test]
    public void Synopsis_EveryVerbOfTheTool_HasItsLines()
    {
        Dictionary<string, string> synopsis = Synopsis();

        Assert.That(Verbs.Where(verb => !synopsis.ContainsKey(verb)), Is.Empty);
        Assert.That(Listings.Where(listing => !synopsis["sites"].Contains(listing, StringComparison.Ordinal)), Is.Empty);
    }

    // The first code block of the page, each verb's lines from its "fwrules VERB" line to the next one.
    private static Dictionary<string, string> Synopsis()
    {
        string page = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "guides", "command-line.md")).ReplaceLineEndings("\n");
        int start = page.IndexOf("```\nfwrules ", StringComparison.Ordinal) + 4;
        string block = page[start..page.IndexOf("```", start, StringComparison.Ordinal)];
        var verbs = new Dictionary<string, string>(StringComparer.Ordinal);
        string? verb = null;
        foreach (string line in block.Split('\n'))
        {
            if (line.StartsWith("fwrules ", StringComparison.Ordinal))
            {
                verb = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            }

            if (verb is not null)
            {
                verbs[verb] = verbs.GetValueOrDefault(verb, string.Empty) + line + "\n";
            }
        }

        return verbs;
    }

    [GeneratedRegex(@"(?m)^ +(?:-\S+, )*(?<name>--[a-z0-9-]+)")]
    private static partial Regex OptionName();

    // A clause of the help's "Exit codes:" paragraph: its code (or codes, "143 or 130") and what follows up to the next clause.
    [GeneratedRegex(@"(?:Exit codes:|;|\sor)\s+(?<code>\d+)(?<text>(?:(?!(?:;|\sor)\s+\d+\s)[\s\S])*)")]
    private static partial Regex HelpExitCode();

    [GeneratedRegex(@"(?m)^\| (?<code>\d+) \|")]
    private static partial Regex PageExitCode();

    [GeneratedRegex(@"What to load: (?<formats>[a-z0-9, -]+?)(?:\.|\s\(see)")]
    private static partial Regex SyncFormats();
}
