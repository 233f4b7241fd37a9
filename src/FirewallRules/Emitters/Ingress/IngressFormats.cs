using FirewallRules.Advice;
using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Ingress;

/// <summary>The Kubernetes ingress controllers' allow-lists as the registry describes them: their trusted proxies, namespace and Ingress.</summary>
internal static class IngressFormats
{
    /// <summary>The ingress-nginx annotation, as a merge patch of your Ingress.</summary>
    public const string IngressNginx = "ingress-nginx";

    /// <summary>A Traefik v3 ipAllowList Middleware.</summary>
    public const string Traefik = "traefik";

    private static FormatSetting Namespace { get; } = FormatSetting.Text(
        SettingNames.Of<IngressOptions>(nameof(IngressOptions.Namespace)), "--namespace", "NAMESPACE", value => _ = new IngressOptions { Namespace = value },
        "ingress-nginx, traefik: the Ingress's or Middleware's namespace.") with { Default = new IngressOptions().Namespace };

    private static FormatSetting Ingress { get; } = FormatSetting.Text(
        SettingNames.Of<IngressOptions>(nameof(IngressOptions.Ingress)), "--ingress", "NAME", value => _ = new IngressOptions { Ingress = value },
        "ingress-nginx: the name of your Ingress the annotation is patched onto. Default: --name.");

    /// <summary>Adds <c>ingress-nginx</c> and <c>traefik</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new IngressNginxEmitter(IngressOptions.From(o)), format => format with
        {
            DefaultDirection = Direction.Ingress,
            Settings = [WebServerSettings.TrustedProxies, Namespace, Ingress],
            Configure = Configure,
        })
        .WithBuiltIn(o => new TraefikEmitter(IngressOptions.From(o)), format => format with
        {
            DefaultDirection = Direction.Ingress,
            Settings = [WebServerSettings.TrustedProxies, Namespace],
            Configure = Configure,
        });

    private static IngressOptions Configure(ConfigureArguments arguments) => new(WebServerSettings.Configure(arguments))
    {
        Namespace = arguments.Given.Text(Namespace) ?? new IngressOptions().Namespace,
        Ingress = arguments.Given.Text(Ingress),
    };
}
