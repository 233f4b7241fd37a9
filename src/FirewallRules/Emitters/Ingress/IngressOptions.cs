using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Emitters.WebServer;
using FirewallRules.Names;

namespace FirewallRules.Emitters.Ingress;

/// <summary>
/// Options for the Kubernetes ingress controllers' allow-lists (<c>ingress-nginx</c>, <c>traefik</c>): the trusted proxies, the
/// namespace, and the Ingress the ingress-nginx annotation goes on.
/// </summary>
public sealed class IngressOptions : WebServerOptions
{
    private readonly string _namespace = "default";
    private readonly string? _ingress;

    /// <summary>Creates options with the defaults.</summary>
    public IngressOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings <paramref name="shared"/> holds (its trusted proxies too).</summary>
    public IngressOptions(EmitterOptions shared)
        : base(shared)
    {
        if (shared is IngressOptions ingress)
        {
            (_namespace, _ingress) = (ingress.Namespace, ingress.Ingress);
        }
    }

    /// <summary>The namespace of the Ingress (ingress-nginx) or of the Middleware (Traefik).</summary>
    /// <value><c>default</c>.</value>
    /// <exception cref="ArgumentException">Not an RFC 1123 label (1 to 63 lowercase letters, digits and <c>-</c>).</exception>
    public string Namespace
    {
        get => _namespace;
        init => _namespace = NameRules.IsDnsLabel(value)
            ? value
            : throw new ArgumentException(
                $"'{Cloud.CommentText.SingleLine(value ?? string.Empty)}' is not a namespace name: use 1 to 63 lowercase letters, digits and -, starting and ending " +
                "with a letter or digit", nameof(value));
    }

    /// <summary>The name of your Ingress that the ingress-nginx annotation is patched onto.</summary>
    /// <value>Null: <see cref="EmitterOptions.Name"/>.</value>
    /// <exception cref="ArgumentException">Not an RFC 1123 subdomain (an object name).</exception>
    public string? Ingress
    {
        get => _ingress;
        init => _ingress = value is null || KubernetesNames.IsDnsSubdomain(value)
            ? value
            : throw new ArgumentException(
                $"'{Cloud.CommentText.SingleLine(value)}' is not an object name: use lowercase letters, digits, - and . (at most 253)", nameof(value));
    }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static new IngressOptions From(EmitterOptions options) => options as IngressOptions ?? new(options);
}
