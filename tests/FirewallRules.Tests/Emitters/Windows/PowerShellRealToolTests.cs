using FirewallRules.Emitters.Windows;
using FirewallRules.Ports;

namespace FirewallRules.Tests.Emitters.Windows;

/// <summary>
/// The <c>windows</c> scripts parsed by a real PowerShell grammar (tree-sitter-powershell, through web-tree-sitter:
/// no PowerShell itself can be had here), and every NetSecurity cmdlet call checked against Microsoft's documented
/// parameters (data/validators/windows): names, accepted values, and a parameter set that holds them.
/// </summary>
/// <remarks>netsh has no validator to be had: the <c>windows-netsh</c> format keeps its own read-back (<see cref="NetshScript"/>).</remarks>
[TestFixture]
[Category("RealTools")]
public class PowerShellRealToolTests
{
    private static readonly string[] Packages = ["web-tree-sitter", "tree-sitter-powershell"];

    [Test]
    public void Windows_EveryScript_ParsesWithoutAnErrorAndPassesTheParameterCheck()
    {
        string[] scripts = [.. EveryScript()];
        using var files = new TempFiles();
        string[] paths = [.. scripts.Select((s, i) => files.Write($"rules-{i}.ps1", s))];

        ToolResult check = Check(paths);

        Assert.That(check.ExitCode, Is.EqualTo(0), check.Output + check.Error);
        string[] lines = check.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(paths.Length));
        Assert.That(lines, Has.All.Match(@": [1-9]\d* calls checked, valid$"), "every script's cmdlet calls were found and checked");
    }

    [Test]
    public void Windows_ParameterCheck_RejectsAWrongValueAnUnknownParameterAndAMissingMandatoryOne()
    {
        string script = RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToWindowsFirewall();
        string broken = script
            .Replace("-Direction Outbound", "-Direction Egress", StringComparison.Ordinal)
            .Replace("-RemoteAddress", "-RemoteIP", StringComparison.Ordinal)
            .Replace(" -NewName '", " -Target '", StringComparison.Ordinal);
        using var files = new TempFiles();

        ToolResult check = Check([files.Write("broken.ps1", broken)]);

        Assert.That(check.ExitCode, Is.EqualTo(1));
        Assert.That(check.Output, Does.Contain("New-NetFirewallRule -Direction Egress: not one of Inbound, Outbound")
            .And.Contains("New-NetFirewallRule -RemoteIP: unknown parameter")
            .And.Contains("Rename-NetFirewallRule -Target: unknown parameter")
            .And.Contains("Rename-NetFirewallRule missing mandatory parameter(s): "));
    }

    [Test]
    public void Windows_Parser_RejectsAnUnclosedArray()
    {
        string script = RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToWindowsFirewall();
        int close = script.IndexOf("\n)\n", StringComparison.Ordinal);
        using var files = new TempFiles();

        ToolResult check = Check([files.Write("unclosed.ps1", script.Remove(close + 1, 2))]);

        Assert.That(check.ExitCode, Is.EqualTo(1));
        Assert.That(check.Output, Does.Contain("syntax error"));
    }

    // Every real document in both directions, listener rules, a list long enough to split, and the options that
    // change the script's shape.
    private static IEnumerable<string> EveryScript()
    {
        foreach (string path in TestData.IpRangesDocuments)
        {
            foreach (Direction direction in new[] { Direction.Egress, Direction.Ingress })
            {
                yield return RuleSet.All(IpRangesDocument.Load(path), direction).ToWindowsFirewall();
            }
        }

        yield return WindowsTestRules.Aws().ToWindowsFirewall();
        yield return RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToWindowsFirewall(new WindowsFirewallOptions { Comments = false, Name = "dd-prod" });
        yield return LocalListenerRules.For(AgentKind.Datakit, new LocalListenerOptions()).ToWindowsFirewall();
        yield return WindowsTestRules.WithHostileProvenance().ToWindowsFirewall();
    }

    private static ToolResult Check(IEnumerable<string> paths)
    {
        (string node, string modules) = ExternalTool.NodeModules(Packages);
        return ExternalTool.RunValidator("powershell-check.cjs", modules, node, [TestData.Path_("validators", "windows", "netsecurity-params.json"), .. paths]);
    }
}
