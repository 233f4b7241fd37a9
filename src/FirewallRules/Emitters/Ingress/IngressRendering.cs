using FirewallRules.Emitters.Ingress;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets for the Kubernetes ingress controllers: ingress-nginx and Traefik.</summary>
public static class IngressRendering
{
    /// <summary>
    /// The <c>nginx.ingress.kubernetes.io/whitelist-source-range</c> annotation as a merge patch for your Ingress (format
    /// <c>ingress-nginx</c>); its header gives the controller's ConfigMap keys for <see cref="Emitters.WebServer.WebServerOptions.TrustedProxies"/>.
    /// </summary>
    /// <param name="rules">The rules: every rule's prefixes are admitted, whatever its port and direction.</param>
    /// <param name="options">Name, comments, trusted proxies, namespace and Ingress; <see cref="IngressOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A deny rule, a trusted proxy inside the allowed ranges, or an annotation over Kubernetes' 256 KiB.</exception>
    public static string ToIngressNginx(this RuleSet rules, IngressOptions? options = null) => rules.Render(new IngressNginxEmitter(options ?? new()));

    /// <summary>A Traefik v3 <c>Middleware</c> (format <c>traefik</c>): <c>ipAllowList</c>, with <c>ipStrategy.excludedIPs</c> for trusted proxies.</summary>
    /// <param name="rules">The rules: every rule's prefixes are admitted, whatever its port and direction.</param>
    /// <param name="options">Name, comments, trusted proxies and namespace; <see cref="IngressOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A deny rule, a trusted proxy inside the allowed ranges, or a name Kubernetes refuses.</exception>
    public static string ToTraefik(this RuleSet rules, IngressOptions? options = null) => rules.Render(new TraefikEmitter(options ?? new()));
}
