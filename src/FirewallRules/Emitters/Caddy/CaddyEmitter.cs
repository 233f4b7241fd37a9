using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Caddy;

/// <summary>
/// <c>caddy</c>: a Caddyfile snippet to import in the site block of the endpoint, defining two named matchers: <c>@NAME</c> for
/// the allowed prefixes and <c>@NAME_denied</c> for every other client, for the site's <c>respond @NAME_denied 403</c>. Without
/// <see cref="WebServerOptions.TrustedProxies"/> they are <c>remote_ip</c> matchers (the connection's address, every Caddy 2);
/// with them <c>client_ip</c> matchers, which read <c>X-Forwarded-For</c> from the proxies the global <c>servers</c> option
/// trusts (<c>trusted_proxies static</c> with <c>trusted_proxies_strict</c>, Caddy 2.8 or later; the header gives the lines).
/// </summary>
internal sealed class CaddyEmitter(WebServerOptions options) : IRuleEmitter
{
    /// <summary>Prefixes per matcher line.</summary>
    private const int PerLine = 16;

    public string Format => CaddyFormats.Caddy;

    public string Description =>
        "A Caddyfile snippet to import in your endpoint's site block: @NAME and @NAME_denied matchers (client_ip with trusted proxies, Caddy 2.8+).";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        PrefixSet allowed = AllowedClients.Of(rules.Rules, options, Format);
        string n = options.Name.Replace('-', '_'), matcher = options.TrustedProxies.IsEmpty ? "remote_ip" : "client_ip";
        WebServerText.Header(output, options, rules.Rules, [
            "In the site block of the endpoint, refuse the others first:",
            $"  import /etc/caddy/{options.Name}.caddy",
            $"  respond @{n}_denied 403",
            "Caddy runs handle, handle_path and route blocks before a respond of the site block, so a request one of them serves never meets",
            $"that line: put 'respond @{n}_denied 403' first in each such block that serves the endpoint too.",
            .. options.TrustedProxies.IsEmpty ? [] : (string[])[
                "With trusted proxies (Caddy 2.8 or later), in the global options block at the top of the Caddyfile:",
                "  servers {",
                $"      trusted_proxies static {string.Join(' ', options.TrustedProxies)}",
                "      trusted_proxies_strict",
                "  }"],
            $"@{n} matches these addresses and @{n}_denied every other; Datadog calls on the rules' ports, where the site listens.",
            AllowedClients.ClientAddress(options)]);
        output.Write($"@{n} {{\n");
        WriteLines(output, allowed, $"    {matcher}");
        output.Write($"}}\n@{n}_denied {{\n    not {{\n");
        WriteLines(output, allowed, $"        {matcher}");
        output.Write("    }\n}\n");
    }

    private static void WriteLines(TextWriter output, PrefixSet prefixes, string directive)
    {
        foreach (Range chunk in WebServerText.Chunks(prefixes, PerLine))
        {
            output.Write(directive);
            prefixes.WriteEach(output, " ", string.Empty, chunk);
            output.Write('\n');
        }
    }
}
