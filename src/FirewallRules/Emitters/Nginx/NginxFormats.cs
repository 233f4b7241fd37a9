using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Nginx;

/// <summary>The nginx formats as the registry describes them: the include for a block, the geo map for the http context, and their sync.</summary>
internal static class NginxFormats
{
    /// <summary>Allow and deny lines for a <c>server</c> or <c>location</c> block.</summary>
    public const string Nginx = "nginx";

    /// <summary>A <c>geo</c> map for the <c>http</c> context, shared by many locations.</summary>
    public const string NginxGeo = "nginx-geo";

    /// <summary>Adds <c>nginx</c> and <c>nginx-geo</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new NginxEmitter(WebServerOptions.From(o)), format => Describe(format, 0, new ServerFile(
            "/etc/nginx/snippets/datadog.conf", "nginx -t", "systemctl reload nginx")))
        .WithBuiltIn(o => new NginxGeoEmitter(WebServerOptions.From(o)), format => Describe(format, 1, new ServerFile(
            "/etc/nginx/conf.d/datadog-geo.conf", "nginx -t", "systemctl reload nginx")));

    private static FormatDescription Describe(FormatDescription format, int rank, ServerFile file) => format with
    {
        DefaultDirection = Direction.Ingress,
        Settings = [WebServerSettings.TrustedProxies],
        Configure = WebServerSettings.Configure,
        Sync = WebServerSettings.Sync(rank, "nginx", file, WebServerSettings.Configure),
    };
}
