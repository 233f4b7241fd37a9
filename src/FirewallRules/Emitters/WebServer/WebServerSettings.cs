using FirewallRules.Advice;
using FirewallRules.Cidr;

namespace FirewallRules.Emitters.WebServer;

/// <summary>
/// The setting every web-tier format takes (<c>--trusted-proxies</c>), declared once for all of them, and how a description
/// makes <see cref="WebServerOptions"/> from it.
/// </summary>
internal static class WebServerSettings
{
    /// <summary>The formats that take <see cref="TrustedProxies"/>, for its help.</summary>
    private const string Formats = "nginx, nginx-geo, apache, haproxy, caddy, ingress-nginx, traefik";

    /// <summary><c>--trusted-proxies CIDR</c>: the proxies whose forwarded address is believed.</summary>
    public static FormatSetting TrustedProxies { get; } = FormatSetting.Names(
        SettingNames.Of<WebServerOptions>(nameof(WebServerOptions.TrustedProxies)), "--trusted-proxies", "CIDR",
        proxies => _ = new WebServerOptions { TrustedProxies = Proxies(proxies) },
        $"{Formats}: your load balancers' or CDN's addresses (repeatable; each at most a /8 of IPv4 or a /32 of IPv6, outside NAT64, Teredo and 6to4); " +
        "only a connection from one of them may name the client in " +
        "X-Forwarded-For. Default: none, each request is judged by its connection's own address.");

    /// <summary>The web options from the shared ones and the proxies given.</summary>
    public static WebServerOptions Configure(ConfigureArguments arguments) =>
        new(arguments.Shared) { TrustedProxies = Proxies(arguments.Given.Names(TrustedProxies) ?? []) };

    /// <summary>The proxies given, each a prefix as strict as any the tool reads (a bare address is a /32 or /128).</summary>
    /// <exception cref="ArgumentException">One is not a prefix.</exception>
    public static PrefixSet Proxies(IReadOnlyList<string> given)
    {
        try
        {
            // A person typed them: any IPv6 spelling is read; host bits are refused as a possible typo, naming the network.
            return PrefixSet.Parse(string.Join('\n', given), PrefixParseOptions.AnyIPv6Text);
        }
        catch (PrefixFormatException ex)
        {
            throw new ArgumentException(ex.Advice is null ? ex.Message : $"{ex.Reason}: write the network", nameof(given), ex);
        }
    }

    /// <summary>
    /// What sync does with a web server's file: writes <paramref name="file"/>'s output atomically, runs the server's own test
    /// with it in place (the last good file put back when it fails), and reloads the server only when the directives changed.
    /// </summary>
    public static SyncCapability Sync(int rank, string server, ServerFile file, Func<ConfigureArguments, EmitterOptions> configure) => SyncCapability.File(rank,
        $"sync: keeps a file {server} reads in step (--output FILE, e.g. {file.Output}): written atomically, checked with '{file.Check}' in place (the last good " +
        $"file put back when it fails), then '{file.Reload}' only when its directives changed (both commands can be replaced)",
        file,
        arguments => configure(new ConfigureArguments(new EmitterOptions { Name = arguments.Name, Families = arguments.Families }, arguments.Given)));
}
