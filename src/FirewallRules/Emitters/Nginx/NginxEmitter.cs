using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Nginx;

/// <summary>
/// <c>nginx</c>: <c>allow</c> lines for the allowed prefixes and a closing <c>deny all</c>, for the <c>server</c> or
/// <c>location</c> block of the endpoint; with <see cref="WebServerOptions.TrustedProxies"/>, the real IP module's
/// <c>set_real_ip_from</c> for each, <c>real_ip_header X-Forwarded-For</c> and <c>real_ip_recursive on</c> before them, all
/// valid in both blocks (the module runs in the post-read phase for a server and the pre-access phase for a location).
/// </summary>
/// <remarks>
/// The header says what the access phase does not see: a <c>return</c> in the same block answers in the rewrite phase, before
/// any <c>allow</c> is read.
/// </remarks>
internal sealed class NginxEmitter(WebServerOptions options) : IRuleEmitter
{
    public string Format => NginxFormats.Nginx;

    public string Description => "nginx allow/deny lines for the server or location block of your endpoint (include it there), real-IP lines for trusted proxies.";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        PrefixSet allowed = AllowedClients.Of(rules.Rules, options, Format);
        WebServerText.Header(output, options, rules.Rules, [
            "In the server or location block of the endpoint (Debian keeps such files in /etc/nginx/snippets):",
            $"  include /etc/nginx/snippets/{options.Name}.conf;",
            "A 'return' (or 'rewrite ... last') in the same block answers before nginx reads these lines: leave none there.",
            "The block admits these addresses and refuses (403) every other; Datadog calls on the rules' ports, where the block listens.",
            AllowedClients.ClientAddress(options)]);
        NginxText.WriteRealIp(output, options, "set_real_ip_from ", string.Empty);
        if (!options.TrustedProxies.IsEmpty)
        {
            output.Write("real_ip_header X-Forwarded-For;\nreal_ip_recursive on;\n");
        }

        allowed.WriteLines(output, "allow ", ";\n");
        output.Write("deny all;\n");
    }
}
