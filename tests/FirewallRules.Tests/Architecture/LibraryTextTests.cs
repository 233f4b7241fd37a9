using System.Text.RegularExpressions;

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
        "src/FirewallRules/AgentConfig/AgentDefaults.cs", // the agent configuration's refusal
    ];

    [Test]
    public void LibraryStrings_NameNoCommandLineFlag_OutsideTheKnownPlaces()
    {
        string[] files = [.. SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules/", StringComparison.Ordinal) || f.StartsWith("src/FirewallRules.Aws/", StringComparison.Ordinal))];

        string[] naming = [.. files.Where(file => CommandLines(SourceCode.WithoutComments(SourceCode.Read(file))) > 0)];

        Assert.That(files, Has.Length.GreaterThan(100), "guards the scan against finding no file");
        Assert.That(naming, Is.SubsetOf(Known), "name the library's setting (SettingAdvice) or take the command from the caller");
    }

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
