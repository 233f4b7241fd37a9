using FirewallRules.Emitters.Caddy;
using FirewallRules.Emitters.WebServer;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets for Caddy.</summary>
public static class CaddyRendering
{
    /// <summary>
    /// A Caddyfile snippet for your endpoint's site block (format <c>caddy</c>): the matchers <c>@NAME</c> (the allowed
    /// addresses) and <c>@NAME_denied</c> (every other client); <c>client_ip</c> matchers with
    /// <see cref="WebServerOptions.TrustedProxies"/> (Caddy 2.8 or later), <c>remote_ip</c> without.
    /// </summary>
    /// <param name="rules">The rules: every rule's prefixes are admitted, whatever its port and direction.</param>
    /// <param name="options">Name, comments and trusted proxies; <see cref="WebServerOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A deny rule, or a trusted proxy inside the allowed ranges.</exception>
    public static string ToCaddy(this RuleSet rules, WebServerOptions? options = null) => rules.Render(new CaddyEmitter(options ?? new()));
}
