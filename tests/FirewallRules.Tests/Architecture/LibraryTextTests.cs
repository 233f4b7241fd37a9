using System.CommandLine;
using System.Text.RegularExpressions;
using FirewallRules.Cli;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// The library's messages and outputs name its own settings and API, never the command line's flags: a tool spells a
/// setting its own way (fwrules through <c>SettingFlags</c>, or by handing the library its command, as
/// <c>PrivateLinkOptions.AgentRulesCommand</c> does).
/// </summary>
[TestFixture]
public partial class LibraryTextTests
{
    // Where library text still names an fwrules command with a flag, each pinned by a reviewed golden file or owned by
    // another change this session; the list only shrinks.
    private static readonly string[] Known =
    [
        "src/FirewallRules/Rules/RuleSetProvenance.cs", // the embedded snapshot's warning, in a golden file
        "src/FirewallRules/Emitters/Iptables/IpsetUpdateWriter.cs", // the update's remedy, in the ipset-update golden file
        "src/FirewallRules/Emitters/Nftables/NftablesUpdateWriter.cs", // the update's remedy, in the nftables-update golden file
        "src/FirewallRules/Sync/TableOwnership.cs", // sync's own refusal
        "src/FirewallRules/AgentConfig/Reading/AgentVersionSetting.cs", // the agent configuration's refusal
    ];

    [Test]
    public void LibraryStrings_NameNoCommandLineFlag_OutsideTheKnownPlaces()
    {
        string[] files =
            [.. SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules/", StringComparison.Ordinal) || f.StartsWith("src/FirewallRules.Aws/", StringComparison.Ordinal))];

        string[] naming = [.. files.Where(file => CommandLines(SourceCode.WithoutComments(SourceCode.Read(file))) > 0)];

        Assert.That(files, Has.Length.GreaterThan(100), "guards the scan against finding no file");
        Assert.That(naming, Is.SubsetOf(Known), "name the library's setting (SettingAdvice) or take the command from the caller");
    }

    // Where library text names one of fwrules' own flags on its own, file by file; the list only shrinks. The flags the
    // rendered scripts pass to other tools (az, gcloud, aws, nft) are theirs, and are not counted.
    private static readonly Dictionary<string, string[]> KnownFlags = new(StringComparer.Ordinal)
    {
        ["src/FirewallRules/AgentConfig/Planning/AgentConfiguration.cs"] = ["--agent-version"],
        ["src/FirewallRules/AgentConfig/Reading/AgentVersionSetting.cs"] = ["--agent"],
        ["src/FirewallRules/AgentConfig/Planning/DestinationPlanner.cs"] = ["--section"],
        // The cluster's note, which PlanRules held until the plan's notes moved to the planner that makes them.
        ["src/FirewallRules/AgentConfig/Planning/ClusterPlanner.cs"] = ["--open"],
        ["src/FirewallRules/AgentConfig/Rendering/PlanRules.cs"] = ["--input", "--live", "--open", "--section", "--site"],
        ["src/FirewallRules/Emitters/Iptables/IpsetUpdateWriter.cs"] = ["--format"],
        ["src/FirewallRules/Emitters/Kubernetes/KubernetesFormats.cs"] = ["--agent", "--helm-values"],
        ["src/FirewallRules/Emitters/Lists/PrefixListEmitter.cs"] = ["--no-comments"],
        ["src/FirewallRules/Emitters/Nftables/NftablesUpdateWriter.cs"] = ["--format"],
        ["src/FirewallRules/Rules/RuleSetProvenance.cs"] = ["--live"],
        ["src/FirewallRules/Sync/TableOwnership.cs"] = ["--agent", "--feature", "--name", "--open"],
    };

    // Flags of the tools the emitters write commands for (and the servers' own tests), which fwrules happens to share.
    private static readonly string[] OtherToolsFlags =
        ["--action", "--config", "--direction", "--global-access", "--group-id", "--name", "--network", "--output", "--priority", "--region", "--resource-group"];

    [Test]
    public void LibraryStrings_NameNoFlagOfFwrulesAlone_OutsideTheKnownPlaces()
    {
        HashSet<string> own = [.. Options(CliApp.CreateRoot(new CliConsole(() => Stream.Null, () => Stream.Null, TextWriter.Null, false)))];
        string[] files =
            [.. SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules/", StringComparison.Ordinal) || f.StartsWith("src/FirewallRules.Aws/", StringComparison.Ordinal))];

        string[] naming = [.. files.SelectMany(file => Flags(SourceCode.WithoutComments(SourceCode.Read(file)))
            .Where(flag => own.Contains(flag) && !(file.Contains("/Emitters/", StringComparison.Ordinal) && OtherToolsFlags.Contains(flag))
                && !(KnownFlags.TryGetValue(file, out string[]? known) && known.Contains(flag)))
            .Distinct().Select(flag => $"{file}: {flag}"))];

        string[] stale = [.. KnownFlags.SelectMany(entry => entry.Value.Select(flag => (entry.Key, flag)))
            .Where(known => !File.Exists(Path.Combine(TestData.RepositoryRoot, known.Key)) || !Flags(SourceCode.WithoutComments(SourceCode.Read(known.Key))).Contains(known.flag))
            .Select(known => $"{known.Key}: {known.flag}")];

        Assert.That(own, Has.Count.GreaterThan(50), "guards the scan against finding no option");
        Assert.That(naming, Is.Empty, "name the library's setting (SettingAdvice) or take the wording from the caller");
        Assert.That(stale, Is.Empty, "no longer named there: take it off the known list");
    }

    [Test]
    public void Flags_FindsDoubleDashWordsInStringsOnly()
    {
        const string Code = """
            a = "keep the copy with --max-stale or --offline";
            b = x--y; c = "not-a--flag";
            d = FormatSetting.Switch(SettingNames.Of<X>(nameof(X.Y), false), "--declared-here", "help naming --offline");
            """;

        Assert.That(Flags(Code), Is.EqualTo(new[] { "--max-stale", "--offline", "--offline" }));
    }

    private static IEnumerable<string> Options(Command command) =>
        command.Options.SelectMany(o => o.Aliases.Append(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal))
            .Concat(command.Subcommands.SelectMany(Options));

    // A format setting's declaration carries the flag that sets it (FormatSetting.Flag: the property's name, then the
    // flag), the one place the library spells it; messages still name the setting.
    private static IEnumerable<string> Flags(string code) =>
        StringLiteral().Matches(DeclaredFlag().Replace(code, "nameof(Declared)"))
            .SelectMany(literal => Flag().Matches(literal.Value).Select(m => m.Value));

    [GeneratedRegex("nameof\\([\\w.]+\\)(, (true|false))?\\)?, \"--[a-z0-9-]+\"")]
    private static partial Regex DeclaredFlag();

    [GeneratedRegex("\"[^\"\\n]*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("(?<![\\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex Flag();

    [Test]
    public void CommandLines_FindsTheToolsVerbWithAFlagInStringsOnly()
    {
        // Guards the scan above against a pattern that silently matches nothing.
        const string Code = """
            a = "render them with 'fwrules privatelink --agents-only' (PrivateLinkPlan.AgentRules).";
            b = $"apply the full output (fwrules generate --format {format}).";
            c = "Datadog IP ranges as Kubernetes NetworkPolicies (fwrules format kubernetes).";
            d = "--network=prod";
            """;

        Assert.That(CommandLines(Code), Is.EqualTo(2));
    }

    private static int CommandLines(string code) => CommandLine().Count(code);

    [GeneratedRegex("\"[^\"\\n]*fwrules [a-z]+ [^\"\\n]*--[a-z]")]
    private static partial Regex CommandLine();
}
