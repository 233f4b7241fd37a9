using FirewallRules.Emitters.AllowList;
using FirewallRules.Emitters.Apache;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Caddy;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Haproxy;
using FirewallRules.Emitters.Ingress;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Emitters.Lists;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Emitters.Nginx;
using FirewallRules.Emitters.Windows;
namespace FirewallRules.Emitters;

/// <summary>
/// The formats this library ships, in one list so the registry and the docs agree. Each platform's folder describes its
/// own formats (<see cref="FormatDescription"/>): settings, media type, update, notes and warnings.
/// </summary>
internal static class BuiltIn
{
    /// <summary>The kinds of private connectivity, each described by its cloud's folder.</summary>
    public static IReadOnlyList<PrivateConnectivityDescription> PrivateConnectivity { get; } =
        [AwsFormats.PrivateLink, AzureFormats.PrivateLink, GcpFormats.PrivateServiceConnect];

    /// <summary>The targets <c>fwrules sync</c> keeps in step that are no output format, each declared by its cloud's folder.</summary>
    public static IReadOnlyList<SyncTarget> SyncOnly { get; } = [AwsFormats.PrefixListSync];

    public static EmitterRegistry Register(EmitterRegistry registry) => WebServers(
        AllowListFormats.Register(ListFormats.Register(GcpFormats.Register(KubernetesFormats.Register(AzureFormats.Register(AwsFormats.Register(
            WindowsFormats.Register(NftablesFormats.Register(IptablesFormats.Register(registry))))))))));

    // What calls you, allowed at the web tier: the web servers and proxies.
    private static EmitterRegistry WebServers(EmitterRegistry registry) =>
        IngressFormats.Register(CaddyFormats.Register(HaproxyFormats.Register(ApacheFormats.Register(NginxFormats.Register(registry)))));
}
