using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Apache;

/// <summary>
/// <c>apache</c>: an include for the <c>&lt;VirtualHost&gt;</c> of the endpoint (httpd 2.4): a <c>&lt;Location&gt;</c>
/// holding a <c>&lt;RequireAny&gt;</c> of <c>Require ip</c> lines; with <see cref="WebServerOptions.TrustedProxies"/>,
/// mod_remoteip's <c>RemoteIPHeader X-Forwarded-For</c> and each proxy's line before it, which httpd takes only in a virtual host
/// or the server's own configuration, hence the include's place.
/// </summary>
/// <remarks>
/// A proxy in mod_remoteip's public space is a <c>RemoteIPTrustedProxy</c>, one that overlaps its private space
/// (<see cref="RemoteIpPrivate"/>) a <c>RemoteIPInternalProxy</c>: mod_remoteip does not take a private address a trusted
/// proxy writes in the header, so in a chain of private proxies (a balancer in front of another) the request would be judged by
/// the last proxy's address and refused. Either way a proxy is read past only while the address is one of the proxies named, as
/// the other servers do.
/// </remarks>
internal sealed class ApacheEmitter(ApacheOptions options) : IRuleEmitter
{
    /// <summary>Prefixes per <c>Require ip</c> or proxy line.</summary>
    private const int PerLine = 16;

    /// <summary>
    /// The addresses mod_remoteip ignores in the header when a <c>RemoteIPTrustedProxy</c> writes them (httpd 2.4's
    /// <c>remoteip_modify_request</c>): 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, and IPv6 outside global unicast 2000::/3.
    /// </summary>
    private static readonly PrefixSet RemoteIpPrivate = PrefixSet.Parse("10.0.0.0/8\n127.0.0.0/8\n169.254.0.0/16\n172.16.0.0/12\n192.168.0.0/16")
        .Union(PrefixSet.Parse("::/0").Except(PrefixSet.Parse("2000::/3")));

    public string Format => ApacheFormats.Apache;

    public string Description =>
        "An Apache httpd 2.4 include for your endpoint's VirtualHost: Require ip lines in a <Location> (mod_remoteip's lines for trusted proxies).";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        PrefixSet allowed = AllowedClients.Of(rules.Rules, options, Format);
        PrefixSet proxies = options.TrustedProxies;
        PrefixSet internalProxies = PrefixSet.Create(proxies.Where(p => PrefixSet.Create([p]).Intersect(RemoteIpPrivate).Count > 0));
        WebServerText.Header(output, options, rules.Rules, [
            "Inside the <VirtualHost> of the endpoint, after its other <Location> sections (a later one that says Require replaces these lines):",
            $"  Include /etc/apache2/{options.Name}-allow.conf",
            proxies.IsEmpty ? "Needs mod_authz_host (enabled by default)."
                : "Needs mod_remoteip (a2enmod remoteip); it sets the client address for the whole virtual host, its logs included.",
            .. internalProxies.IsEmpty ? (string[])[] : [
                "Proxies with private addresses are RemoteIPInternalProxy: mod_remoteip would not read past a private address a RemoteIPTrustedProxy forwards."],
            $"The location admits these addresses and refuses (403) every other; Datadog calls on the rules' ports, where the host listens.",
            AllowedClients.ClientAddress(options)]);
        if (!proxies.IsEmpty)
        {
            output.Write("RemoteIPHeader X-Forwarded-For\n");
            WriteLines(output, proxies.Except(internalProxies), "RemoteIPTrustedProxy", string.Empty);
            WriteLines(output, internalProxies, "RemoteIPInternalProxy", string.Empty);
        }

        output.Write($"<Location \"{GuardedPath}\">\n    <RequireAny>\n");
        WriteLines(output, allowed, "Require ip", "        ");
        output.Write("    </RequireAny>\n</Location>\n");
    }

    /// <summary>
    /// The location without its trailing slash (<c>/hooks/</c> is written <c>/hooks</c>): httpd's <c>&lt;Location "/hooks/"&gt;</c> does not
    /// cover <c>/hooks</c> itself, which the application may serve too, while <c>&lt;Location "/hooks"&gt;</c> covers <c>/hooks</c>,
    /// <c>/hooks/</c> and everything under it, never <c>/hooksx</c>.
    /// </summary>
    private string GuardedPath => options.Location.TrimEnd('/') is { Length: > 0 } path ? path : "/";

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
