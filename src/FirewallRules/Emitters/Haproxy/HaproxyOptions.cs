using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Haproxy;

/// <summary>Options for the <c>haproxy</c> ACL file: the trusted proxies, and how they give the client's address.</summary>
public sealed class HaproxyOptions : WebServerOptions
{
    /// <summary>Creates options with the defaults.</summary>
    public HaproxyOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings <paramref name="shared"/> holds (its trusted proxies too).</summary>
    public HaproxyOptions(EmitterOptions shared)
        : base(shared)
    {
        ProxyProtocol = shared is HaproxyOptions haproxy && haproxy.ProxyProtocol;
    }

    /// <summary>
    /// Whether the trusted proxies give the client's address in the PROXY protocol (a TCP load balancer) rather than in
    /// <c>X-Forwarded-For</c>: the frontend then expects a PROXY header from those addresses only
    /// (<c>tcp-request connection expect-proxy layer4</c>), and reads no header.
    /// </summary>
    /// <value><see langword="false"/>: <c>X-Forwarded-For</c>, from the trusted proxies only.</value>
    public bool ProxyProtocol { get; init; }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static new HaproxyOptions From(EmitterOptions options) => options as HaproxyOptions ?? new(options);
}
