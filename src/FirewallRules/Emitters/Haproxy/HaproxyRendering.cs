using FirewallRules.Emitters.Haproxy;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets for HAProxy.</summary>
public static class HaproxyRendering
{
    /// <summary>
    /// An ACL file, one prefix a line, for <c>acl NAME src -f FILE</c> (format <c>haproxy</c>); its header holds the frontend's
    /// lines that deny every other client, reading the client's address from the trusted proxies only.
    /// </summary>
    /// <param name="rules">The rules: every rule's prefixes are admitted, whatever its port and direction.</param>
    /// <param name="options">Name, comments, trusted proxies and the PROXY protocol; <see cref="HaproxyOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A deny rule, or a trusted proxy inside the allowed ranges.</exception>
    public static string ToHaproxy(this RuleSet rules, HaproxyOptions? options = null) => rules.Render(new HaproxyEmitter(options ?? new()));
}
