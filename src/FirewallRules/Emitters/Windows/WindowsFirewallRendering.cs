using FirewallRules.Emitters.Windows;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets for Windows Firewall.</summary>
public static class WindowsFirewallRendering
{
    /// <summary>The rules as an idempotent PowerShell script (format <c>windows</c>, see <see cref="WindowsFirewallEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Names, families, prefix budget and split size; the defaults when null.</param>
    /// <exception cref="RuleGenerationException">Nothing is left to allow in the chosen families, or two rules share a name.</exception>
    public static string ToWindowsFirewall(this RuleSet rules, WindowsFirewallOptions? options = null) =>
        rules.Render(new WindowsFirewallEmitter(options));

    /// <summary>The rules as a netsh script (format <c>windows-netsh</c>, see <see cref="NetshEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Names, families, prefix budget and split size; the defaults when null.</param>
    /// <exception cref="RuleGenerationException">Nothing is left to allow in the chosen families, or two rules share a name.</exception>
    public static string ToNetsh(this RuleSet rules, WindowsFirewallOptions? options = null) =>
        rules.Render(new NetshEmitter(options));
}
