using System.Text;
using FirewallRules.Advice;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Emitters.WebServer;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Ingress;

/// <summary>
/// <c>ingress-nginx</c>: the <c>nginx.ingress.kubernetes.io/whitelist-source-range</c> annotation on your Ingress, as a merge
/// patch (an Ingress object naming only it, valid against the networking.k8s.io/v1 schema): <c>kubectl patch ingress NAME
/// --type merge --patch-file FILE</c>, or a kustomize patch. The controller admits those prefixes to every path of the Ingress
/// and answers 403 to every other client.
/// </summary>
/// <remarks>
/// Kubernetes bounds an object's annotations to 256 KiB together (<see cref="MaxAnnotationBytes"/>): a list longer than that
/// is refused, naming the prefix budget that summarises it. Which address the controller judges is its ConfigMap's choice, the
/// same for every Ingress: the header gives the keys that trust the proxies named (<c>use-forwarded-headers</c> with
/// <c>proxy-real-ip-cidr</c>), and says what goes wrong without them.
/// </remarks>
internal sealed class IngressNginxEmitter(IngressOptions options) : IRuleEmitter
{
    /// <summary>The annotation ingress-nginx reads (every release; newer ones also read <c>allowlist-source-range</c>).</summary>
    internal const string Annotation = "nginx.ingress.kubernetes.io/whitelist-source-range";

    /// <summary>Kubernetes' bound on an object's annotations, keys and values together (<c>TotalAnnotationSizeLimitB</c>).</summary>
    internal const int MaxAnnotationBytes = 256 * 1024;

    public string Format => IngressFormats.IngressNginx;

    public string Description =>
        "The ingress-nginx whitelist-source-range annotation as a merge patch for your Ingress (kubectl patch --type merge), within Kubernetes' annotation size.";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        PrefixSet allowed = AllowedClients.Of(rules.Rules, options, Format);
        string value = string.Join(',', allowed);
        int bytes = Encoding.UTF8.GetByteCount(Annotation) + Encoding.UTF8.GetByteCount(value);
        if (bytes > MaxAnnotationBytes)
        {
            throw new RuleGenerationException(
                $"the {Annotation} annotation would take {bytes} bytes, over Kubernetes' {MaxAnnotationBytes} for all of an object's annotations",
                new SettingAdvice("summarise the list with {0}", SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule))));
        }

        string ingress = KubernetesObjects.CheckName(options.Ingress ?? options.Name);
        IReadOnlyList<string> header = [.. rules.Rules.Describe(),
            $"A merge patch for your Ingress: kubectl patch ingress {ingress} -n {options.Namespace} --type merge --patch-file FILE (or a kustomize patch).",
            "ingress-nginx then admits these addresses to every path of the Ingress and answers 403 to every other client.",
            .. options.TrustedProxies.IsEmpty ? (string[])[
                "Client address: the connection's own while the controller's ConfigMap leaves use-forwarded-headers off (its default). Turned on, it " +
                    "trusts X-Forwarded-For from proxy-real-ip-cidr, whose default 0.0.0.0/0 is everyone: anyone could write the header and pass."]
            : [
                "Client address: X-Forwarded-For from these trusted proxies only, once the controller's ConfigMap (Helm: controller.config) says:",
                "  use-forwarded-headers: \"true\"",
                $"  proxy-real-ip-cidr: \"{string.Join(',', options.TrustedProxies)}\"",
                "The ConfigMap holds for every Ingress of the controller; leaving proxy-real-ip-cidr at its default 0.0.0.0/0 trusts everyone's header."],
        ];
        KubernetesObjects.Write(output, options.Comments, header, [YamlNode.Map(
            ("apiVersion", YamlNode.Text("networking.k8s.io/v1")),
            ("kind", YamlNode.Text("Ingress")),
            ("metadata", YamlNode.Map(
                ("name", YamlNode.Text(ingress)),
                ("namespace", YamlNode.Text(options.Namespace)),
                ("annotations", YamlNode.Map((Annotation, YamlNode.Text(value)))))))]);
    }
}
