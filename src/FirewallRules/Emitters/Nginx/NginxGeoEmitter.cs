using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Nginx;

/// <summary>
/// <c>nginx-geo</c>: a <c>geo</c> block for the <c>http</c> context that sets <c>$NAME_denied</c> to 0 for the allowed prefixes
/// and 1 for every other client, for many locations to share; each guards itself with
/// <c>if ($NAME_denied) { return 403; }</c>. With <see cref="WebServerOptions.TrustedProxies"/>, the block's own
/// <c>proxy</c> lines and <c>proxy_recursive</c> read <c>X-Forwarded-For</c> from those proxies only.
/// </summary>
internal sealed class NginxGeoEmitter(WebServerOptions options) : IRuleEmitter
{
    public string Format => NginxFormats.NginxGeo;

    public string Description =>
        "An nginx geo block for the http context (Debian's conf.d) setting $NAME_denied, for many locations to refuse with one 'if' line each.";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        PrefixSet allowed = AllowedClients.Of(rules.Rules, options, Format);
        string denied = NginxText.Variable(options, "denied");
        WebServerText.Header(output, options, rules.Rules, [
            $"In the http block (Debian's nginx.conf includes /etc/nginx/conf.d/*.conf there): /etc/nginx/conf.d/{options.Name}-geo.conf",
            "Then first in each server or location block it guards, before any 'return' or 'rewrite' (they run in order, before access checks):",
            $"  if ({denied}) {{ return 403; }}",
            $"{denied} is 0 for these addresses and 1 for every other; Datadog calls on the rules' ports, where the blocks listen.",
            AllowedClients.ClientAddress(options)]);
        output.Write($"geo {denied} {{\n    default 1;\n");
        NginxText.WriteRealIp(output, options, "proxy ", "    ");
        if (!options.TrustedProxies.IsEmpty)
        {
            output.Write("    proxy_recursive;\n");
        }

        allowed.WriteLines(output, "    ", " 0;\n");
        output.Write("}\n");
    }
}
