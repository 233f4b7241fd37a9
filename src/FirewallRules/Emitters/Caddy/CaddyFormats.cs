using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Caddy;

/// <summary>The <c>caddy</c> format as the registry describes it: its trusted proxies and its sync.</summary>
internal static class CaddyFormats
{
    /// <summary>A Caddyfile snippet of named matchers.</summary>
    public const string Caddy = "caddy";

    /// <summary>Adds <c>caddy</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new CaddyEmitter(WebServerOptions.From(o)), format => format with
        {
            DefaultDirection = Direction.Ingress,
            Settings = [WebServerSettings.TrustedProxies],
            Configure = WebServerSettings.Configure,
            Sync = WebServerSettings.Sync(4, "Caddy", new ServerFile(
                "/etc/caddy/datadog.caddy", "caddy validate --config /etc/caddy/Caddyfile", "systemctl reload caddy"), WebServerSettings.Configure),
        });
}
