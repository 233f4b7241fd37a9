using FirewallRules.Emitters.Nginx;
using FirewallRules.Emitters.WebServer;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets for nginx: allow lines for a block, or a geo map for the http context.</summary>
public static class NginxRendering
{
    /// <summary>
    /// <c>allow</c> lines and <c>deny all</c> for the <c>server</c> or <c>location</c> block of your endpoint (format
    /// <c>nginx</c>), with the real IP module's lines for <see cref="WebServerOptions.TrustedProxies"/>.
    /// </summary>
    /// <param name="rules">The rules: every rule's prefixes are admitted, whatever its port and direction.</param>
    /// <param name="options">Name, comments and trusted proxies; <see cref="WebServerOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A deny rule, or a trusted proxy inside the allowed ranges.</exception>
    public static string ToNginx(this RuleSet rules, WebServerOptions? options = null) => rules.Render(new NginxEmitter(options ?? new()));

    /// <summary>
    /// A <c>geo</c> block for the <c>http</c> context setting <c>$NAME_denied</c> (format <c>nginx-geo</c>), for each guarded
    /// location's <c>if ($NAME_denied) { return 403; }</c>.
    /// </summary>
    /// <inheritdoc cref="ToNginx"/>
    public static string ToNginxGeo(this RuleSet rules, WebServerOptions? options = null) => rules.Render(new NginxGeoEmitter(options ?? new()));
}
