using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Ingress;

/// <summary>
/// <c>traefik</c>: a Traefik v3 <c>Middleware</c> (<c>traefik.io/v1alpha1</c>) whose <c>ipAllowList.sourceRange</c> holds the
/// allowed prefixes, for the routers of your endpoint to reference. Without <see cref="WebServerOptions.TrustedProxies"/> it judges
/// the connection's address; with them its <c>ipStrategy.excludedIPs</c> reads <c>X-Forwarded-For</c> from the right past those
/// proxies, which the entrypoint must trust (<c>forwardedHeaders.trustedIPs</c>, the same list, in its static configuration) and
/// no one else: Traefik deletes the header from anyone it does not trust, so a request that came through no proxy is refused.
/// </summary>
internal sealed class TraefikEmitter(IngressOptions options) : IRuleEmitter
{
    public string Format => IngressFormats.Traefik;

    public string Description => "A Traefik v3 Middleware (ipAllowList) for your endpoint's routers; ipStrategy.excludedIPs for trusted proxies.";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        PrefixSet allowed = AllowedClients.Of(rules.Rules, options, Format);
        string name = KubernetesObjects.CheckName(options.Name);
        IReadOnlyList<string> header = [.. rules.Rules.Describe(),
            $"Apply it (kubectl apply -f FILE), then reference it from the routers of the endpoint: an IngressRoute's middlewares (name: {name}),",
            $"or an Ingress's traefik.ingress.kubernetes.io/router.middlewares: {options.Namespace}-{name}@kubernetescrd.",
            "The routers then admit these addresses and answer 403 to every other client.",
            .. options.TrustedProxies.IsEmpty ? (string[])[AllowedClients.ClientAddress(options)] : [
                "Client address: X-Forwarded-For's last address not a trusted proxy. The entrypoint must trust the same proxies, and no others, in",
                $"Traefik's static configuration: entryPoints.NAME.forwardedHeaders.trustedIPs: [{string.Join(", ", options.TrustedProxies)}] (never insecure: true);",
                "Traefik then deletes the header from anyone else, so a request that came through no trusted proxy is refused."],
        ];
        YamlNode ipAllowList = YamlNode.Map(
            ("sourceRange", YamlNode.Prefixes(allowed)),
            ("ipStrategy", options.TrustedProxies.IsEmpty ? null : YamlNode.Map(("excludedIPs", YamlNode.Prefixes(options.TrustedProxies)))));
        KubernetesObjects.Write(output, options.Comments, header, [YamlNode.Map(
            ("apiVersion", YamlNode.Text("traefik.io/v1alpha1")),
            ("kind", YamlNode.Text("Middleware")),
            ("metadata", KubernetesObjects.Metadata(name, options.Namespace, name)),
            ("spec", YamlNode.Map(("ipAllowList", ipAllowList))))]);
    }
}
