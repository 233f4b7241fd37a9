using FirewallRules.Emitters.Apache;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets for Apache httpd 2.4.</summary>
public static class ApacheRendering
{
    /// <summary>
    /// An include for your endpoint's <c>&lt;VirtualHost&gt;</c> (format <c>apache</c>): <c>Require ip</c> lines in a
    /// <c>&lt;Location&gt;</c>, with mod_remoteip's lines for <see cref="Emitters.WebServer.WebServerOptions.TrustedProxies"/>.
    /// </summary>
    /// <param name="rules">The rules: every rule's prefixes are admitted, whatever its port and direction.</param>
    /// <param name="options">Name, comments, trusted proxies and location; <see cref="ApacheOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A deny rule, or a trusted proxy inside the allowed ranges.</exception>
    public static string ToApache(this RuleSet rules, ApacheOptions? options = null) => rules.Render(new ApacheEmitter(options ?? new()));
}
