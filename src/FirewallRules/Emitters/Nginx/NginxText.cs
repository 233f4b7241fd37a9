using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Nginx;

/// <summary>What the two nginx formats write alike: the trusted proxies as directives, and nginx's spelling of a variable name.</summary>
internal static class NginxText
{
    /// <summary>Writes one <paramref name="directive"/> line per trusted proxy (<c>set_real_ip_from</c>, a geo block's <c>proxy</c>).</summary>
    public static void WriteRealIp(TextWriter output, WebServerOptions options, string directive, string indent) =>
        options.TrustedProxies.WriteLines(output, indent + directive, ";\n");

    /// <summary>A variable name made of the output's name: nginx's variables hold letters, digits and underscores.</summary>
    public static string Variable(EmitterOptions options, string suffix) => $"${options.Name.Replace('-', '_')}_{suffix}";
}
