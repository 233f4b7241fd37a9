namespace FirewallRules.Emitters.WebServer;

/// <summary>
/// Options for the allow-lists a web server, proxy or web application firewall applies to who calls it (<c>nginx</c>,
/// <c>nginx-geo</c>, <c>apache</c>, <c>haproxy</c>, <c>caddy</c>, <c>ingress-nginx</c>, <c>traefik</c>): which proxies may say who
/// the client is.
/// </summary>
/// <remarks>
/// Without <see cref="TrustedProxies"/> every output judges the connection's own address and never reads
/// <c>X-Forwarded-For</c>: behind a load balancer every request then comes from the balancer and is refused, which is safe.
/// With them, a forwarded address is taken only from a connection made by one of those proxies, read from the right past each
/// trusted proxy, so a header written by anyone else never decides.
/// </remarks>
public class WebServerOptions : EmitterOptions
{
    private readonly PrefixSet _trustedProxies = PrefixSet.Empty;

    /// <summary>Creates options with the defaults.</summary>
    public WebServerOptions()
    {
    }

    /// <summary>
    /// Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>
    /// (and its trusted proxies, when it is web server options too).
    /// </summary>
    public WebServerOptions(EmitterOptions shared)
        : base(shared)
    {
        if (shared is WebServerOptions web)
        {
            _trustedProxies = web.TrustedProxies;
        }
    }

    /// <summary>
    /// The load balancers', proxies' or CDN's addresses: only a connection from one of these may name the client in
    /// <c>X-Forwarded-For</c> (nginx <c>set_real_ip_from</c>, Apache <c>RemoteIPTrustedProxy</c>, HAProxy <c>set-src</c> from
    /// <c>hdr_ip</c> or the PROXY protocol, Caddy <c>trusted_proxies</c>, ingress-nginx <c>proxy-real-ip-cidr</c>, Traefik
    /// <c>excludedIPs</c>).
    /// </summary>
    /// <value>Empty: the connection's own address decides, and no header is read.</value>
    /// <exception cref="ArgumentException">
    /// A prefix covers a whole address family (<c>0.0.0.0/0</c>, <c>::/0</c>: trusting everyone's header is the trap this
    /// setting exists to avoid), or holds IPv4-mapped addresses (<c>::ffff:0:0/96</c>), which servers match against IPv4 clients.
    /// </exception>
    public PrefixSet TrustedProxies
    {
        get => _trustedProxies;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.IPv4Blocks is [{ Length: 0 }] || value.IPv6Blocks is [{ Length: 0 }])
            {
                throw new ArgumentException(
                    $"{(value.IPv4Blocks is [{ Length: 0 }] ? "0.0.0.0/0" : "::/0")} trusts every address to name the client, so anyone could write " +
                    "X-Forwarded-For and pass: name your load balancers' or CDN's addresses only", nameof(value));
            }

            if (value.Intersect(Mapped).Count > 0)
            {
                throw new ArgumentException(
                    $"{string.Join(", ", value.IPv6.Where(p => PrefixSet.Create([p]).Intersect(Mapped).Count > 0))} holds IPv4-mapped addresses " +
                    "(::ffff:0:0/96), which web servers match against IPv4 clients: give IPv4 prefixes as IPv4, and IPv6 ones outside ::ffff:0:0/96", nameof(value));
            }

            _trustedProxies = value;
        }
    }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static WebServerOptions From(EmitterOptions options) => options as WebServerOptions ?? new(options);

    private static PrefixSet Mapped { get; } = PrefixSet.Parse("::ffff:0:0/96");
}
