using System.Net;

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
    /// A prefix is wider than a /8 of IPv4 or a /32 of IPv6 (trusting that many addresses' headers is the trap this setting
    /// exists to avoid), holds IPv4-mapped addresses (<c>::ffff:0:0/96</c>),
    /// which servers match against IPv4 clients, holds addresses no connection comes from (0.0.0.0/8, 224.0.0.0/3, IPv6 outside
    /// 2000::/3, fc00::/7, fe80::/10 and ::1), or overlaps a block where any IPv4 host on the Internet arrives through a
    /// gateway or relay (NAT64's 64:ff9b::/96 and 64:ff9b:1::/48, Teredo's 2001::/32, 6to4's 2002::/16, 192.88.99.0/24).
    /// </exception>
    public PrefixSet TrustedProxies
    {
        get => _trustedProxies;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Where(p => p.PrefixLength < (p.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? MinIPv4Length : MinIPv6Length))
                .Select(p => (IPNetwork?)p).FirstOrDefault() is { } wide)
            {
                throw new ArgumentException(
                    $"{wide} trusts {(wide.PrefixLength == 0 ? "every address" : "a large part of the Internet")} to name the client, so anyone there could write " +
                    $"X-Forwarded-For and pass: name your load balancers' or CDN's addresses only (at most a /{MinIPv4Length} of IPv4, a /{MinIPv6Length} of IPv6)",
                    nameof(value));
            }

            if (Overlapping(value, Mapped) is { Length: > 0 } mapped)
            {
                throw new ArgumentException(
                    $"{mapped} holds IPv4-mapped addresses " +
                    "(::ffff:0:0/96), which web servers match against IPv4 clients: give IPv4 prefixes as IPv4, and IPv6 ones outside ::ffff:0:0/96", nameof(value));
            }

            if (Overlapping(value, NoSource) is { Length: > 0 } unreached)
            {
                throw new ArgumentException(
                    $"{unreached} holds addresses no connection comes from " +
                    "(0.0.0.0/8, multicast and reserved 224.0.0.0/3; IPv6 outside 2000::/3, fc00::/7, fe80::/10 and ::1): name the proxies' own addresses", nameof(value));
            }

            if (value.Select(p => (Proxy: p, Blocks: Cidr.SpecialAddresses.Translation.Where(b => Overlap(p, b)).ToList())).FirstOrDefault(p => p.Blocks.Count > 0)
                is { Blocks.Count: > 0 } gateway)
            {
                throw new ArgumentException(
                    $"{gateway.Proxy} overlaps {string.Join(", ", gateway.Blocks)}, where NAT64, Teredo or 6to4 gateways bring in any IPv4 host on the " +
                    "Internet: name the proxies' own addresses", nameof(value));
            }

            _trustedProxies = value;
        }
    }

    /// <summary>The shortest IPv4 prefix a trusted proxy may be: a /8, the largest block one network holds.</summary>
    private const int MinIPv4Length = 8;

    /// <summary>The shortest IPv6 prefix a trusted proxy may be: a /32, a provider's whole allocation.</summary>
    private const int MinIPv6Length = 32;

    private static bool Overlap(IPNetwork a, IPNetwork b) => PrefixSet.Create([a]).Intersect(PrefixSet.Create([b])).Count > 0;

    /// <summary>The proxies that hold an address of <paramref name="blocks"/>, as a list in words; empty when none does.</summary>
    private static string Overlapping(PrefixSet proxies, PrefixSet blocks) =>
        string.Join(", ", proxies.Where(p => PrefixSet.Create([p]).Intersect(blocks).Count > 0));

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static WebServerOptions From(EmitterOptions options) => options as WebServerOptions ?? new(options);

    private static PrefixSet Mapped { get; } = PrefixSet.Parse("::ffff:0:0/96");

    /// <summary>
    /// Addresses no connection comes from: IPv4's "this network" (0.0.0.0/8), multicast and the reserved block above it with the
    /// broadcast address (224.0.0.0/3); IPv6 outside global unicast, unique-local, link-local and loopback (IPv4-compatible ::/96,
    /// SIIT's ::ffff:0:0:0/96 and multicast among them). The mapped and the gateways' blocks are refused with reasons of their own.
    /// </summary>
    private static PrefixSet NoSource { get; } = PrefixSet.Parse("0.0.0.0/8\n224.0.0.0/3\n::/0")
        .Except(PrefixSet.Parse("2000::/3\nfc00::/7\nfe80::/10\n::1/128\n::ffff:0:0/96").Union(Cidr.SpecialAddresses.Translation));
}
