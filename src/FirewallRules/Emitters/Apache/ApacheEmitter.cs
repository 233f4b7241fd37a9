using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Apache;

/// <summary>
/// <c>apache</c>: an include for the <c>&lt;VirtualHost&gt;</c> of the endpoint (httpd 2.4): a <c>&lt;Location&gt;</c>
/// holding a <c>&lt;RequireAny&gt;</c> of <c>Require ip</c> lines; with <see cref="WebServerOptions.TrustedProxies"/>,
/// mod_remoteip's <c>RemoteIPHeader X-Forwarded-For</c> and <c>RemoteIPTrustedProxy</c> before it, which httpd takes only in
/// a virtual host or the server's own configuration, hence the include's place.
/// </summary>
/// <remarks>
/// <c>RemoteIPTrustedProxy</c> rather than <c>RemoteIPInternalProxy</c>: a private address a proxy writes in the header is not
/// taken as the client (the request is then judged by that proxy's address, and refused), so a client of the same proxies
/// cannot claim an internal address to other <c>Require ip</c> lines of the host.
/// </remarks>
internal sealed class ApacheEmitter(ApacheOptions options) : IRuleEmitter
{
    /// <summary>Prefixes per <c>Require ip</c> or <c>RemoteIPTrustedProxy</c> line.</summary>
    private const int PerLine = 16;

    public string Format => ApacheFormats.Apache;

    public string Description =>
        "An Apache httpd 2.4 include for your endpoint's VirtualHost: Require ip lines in a <Location> (mod_remoteip's lines for trusted proxies).";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        PrefixSet allowed = AllowedClients.Of(rules.Rules, options, Format);
        WebServerText.Header(output, options, rules.Rules, [
            "Inside the <VirtualHost> of the endpoint, after its other <Location> sections (a later one that says Require replaces these lines):",
            $"  Include /etc/apache2/{options.Name}-allow.conf",
            options.TrustedProxies.IsEmpty ? "Needs mod_authz_host (enabled by default)."
                : "Needs mod_remoteip (a2enmod remoteip); it sets the client address for the whole virtual host, its logs included.",
            $"The location admits these addresses and refuses (403) every other; Datadog calls on the rules' ports, where the host listens.",
            AllowedClients.ClientAddress(options)]);
        if (!options.TrustedProxies.IsEmpty)
        {
            output.Write("RemoteIPHeader X-Forwarded-For\n");
            WriteLines(output, options.TrustedProxies, "RemoteIPTrustedProxy", string.Empty);
        }

        output.Write($"<Location \"{options.Location}\">\n    <RequireAny>\n");
        WriteLines(output, allowed, "Require ip", "        ");
        output.Write("    </RequireAny>\n</Location>\n");
    }

    private static void WriteLines(TextWriter output, PrefixSet prefixes, string directive, string indent)
    {
        foreach (Range chunk in WebServerText.Chunks(prefixes, PerLine))
        {
            output.Write($"{indent}{directive}");
            prefixes.WriteEach(output, " ", string.Empty, chunk);
            output.Write('\n');
        }
    }
}
