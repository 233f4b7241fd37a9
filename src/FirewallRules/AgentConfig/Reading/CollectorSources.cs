using FirewallRules.Intakes;
using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>Where a DDOT Collector's configuration comes from: its documents, merged in order, and where they were read.</summary>
/// <param name="Documents">The configuration's documents (the files of a ConfigMap's items are several).</param>
/// <param name="Name">Where they were read, for messages.</param>
internal sealed record CollectorSource(IReadOnlyList<YamlMappingNode> Documents, string Name);

/// <summary>
/// The DDOT Collector's configuration as the Helm chart and the Datadog Operator give it to the <c>otel-agent</c> container: the one the
/// values or the manifest give (inline, or a ConfigMap of the same stream), else the default each writes.
/// </summary>
/// <remarks>
/// The chart: DataDog/helm-charts @ <c>79f7c74fd2525288125d943f48b810431dbc8857</c> (chart 3.240.0), <c>templates/_otel_agent_config.yaml</c>
/// (<c>datadog.otelCollector.config</c>, else the default, with the gateway's exporter when <c>otelAgentGateway.enabled</c>; the receivers
/// on the ports <c>datadog.otelCollector.ports</c> names <c>otel-grpc</c> and <c>otel-http</c>) and <c>templates/otel-configmap.yaml</c>
/// (none when <c>datadog.otelCollector.configMap.name</c> names the user's own). The Operator: DataDog/datadog-operator @
/// <c>55db53165d173041aaf6d902fd3776d0b33bf811</c>, <c>internal/controller/datadogagent/feature/otelcollector/feature.go</c> and
/// <c>defaultconfig/defaultconfig.go</c> (<c>features.otelCollector.conf.configData</c>, or <c>conf.configMap</c> and its <c>items</c>, else
/// the default, <c>DefaultOtelCollectorConfigInGateway</c> with <c>features.otelAgentGateway.enabled</c>).
/// </remarks>
internal static class CollectorSources
{
    /// <summary>The chart's collector, when <c>datadog.otelCollector.enabled</c>; null otherwise, or when its ConfigMap is the user's (noted).</summary>
    public static CollectorSource? Helm(YamlMappingNode root, string file, PlanNotes notes)
    {
        if (!HelmFeatures.Truthy(HelmValues.Value(root, "datadog.otelCollector.enabled", file)))
        {
            return null;
        }

        if (HelmNodes.Scalar(root, "datadog.otelCollector.configMap.name", file) is { Value: { Length: > 0 } configMap })
        {
            Unread(notes, $"datadog.otelCollector.configMap.name ({IO.TerminalText.EscapeWhole(configMap)})");
            return null;
        }

        string name = $"{file}: datadog.otelCollector.config";
        return HelmNodes.Find(root, "datadog.otelCollector.config", file) switch
        {
            YamlMappingNode map => new([map], name),
            YamlScalarNode { Value: { Length: > 0 } text } => new([YamlSettings.Load(text, name) ?? new YamlMappingNode()], name),
            _ => new([Default(HelmFeatures.Truthy(HelmValues.Value(root, "otelAgentGateway.enabled", file)) ? "release-datadog" : null,
                Port(root, file, "otel-grpc", ListenerCatalog.OtlpGrpc.Port), Port(root, file, "otel-http", ListenerCatalog.OtlpHttp.Port))],
                $"{file}: the chart's default DDOT Collector configuration"),
        };
    }

    /// <summary>The Operator's collector, when <c>features.otelCollector.enabled</c>; its ConfigMap read from <paramref name="objects"/> when the stream holds it.</summary>
    public static CollectorSource? Operator(ManifestValues spec, IReadOnlyList<YamlMappingNode> objects, PlanNotes notes)
    {
        if (!spec.Bool("features.otelCollector.enabled", false))
        {
            return null;
        }

        const string Conf = "features.otelCollector.conf";
        if (spec.Get($"{Conf}.configData") is { Text: { Length: > 0 } data })
        {
            string name = $"{spec.File}: spec.{Conf}.configData";
            return new([YamlSettings.Load(data, name) ?? new YamlMappingNode()], name);
        }

        if (spec.Text($"{Conf}.configMap.name") is string configMap)
        {
            return ConfigMap(spec, objects, configMap, notes);
        }

        string? gateway = spec.Bool("features.otelAgentGateway.enabled", false) ? HelmNodes.Scalar(spec.Agent, "metadata.name", spec.File)?.Value ?? "datadog" : null;
        return new([Default(gateway, ListenerCatalog.OtlpGrpc.Port, ListenerCatalog.OtlpHttp.Port)], $"{spec.File}: the Operator's default DDOT Collector configuration");
    }

    // The ConfigMap the manifest names, from the same stream: the one of that name in the DatadogAgent's namespace, where the Operator mounts it
    // from (one in another namespace is another's); its items in order (otel-config.yaml when none are named).
    private static CollectorSource? ConfigMap(ManifestValues spec, IReadOnlyList<YamlMappingNode> objects, string configMap, PlanNotes notes)
    {
        if (MountedData(spec, objects, configMap, out string why) is not { } data)
        {
            Unread(notes, $"spec.features.otelCollector.conf.configMap ({why})");
            return null;
        }

        string[] keys = spec.Entries("features.otelCollector.conf.configMap.items", "key and path", "a map of key and path")
            .Select(i => HelmNodes.Field(i.Entry, i.Key, "key", spec.File)?.Value).OfType<string>().DefaultIfEmpty("otel-config.yaml").ToArray();
        string name = $"{spec.File}: ConfigMap {IO.TerminalText.EscapeWhole(configMap)}";
        return new([.. keys.Select(key => YamlSettings.Child(data, key, spec.File) is YamlScalarNode { Value: string text }
            ? YamlSettings.Load(text, $"{name}, {key}") ?? new YamlMappingNode()
            : throw new AgentConfigurationException(new SettingOrigin(spec.File, null), $"ConfigMap {configMap}", $"holds no {key}, which the DatadogAgent names"))], name);
    }

    /// <summary>
    /// The <c>data</c> of the ConfigMap <paramref name="configMap"/> the DatadogAgent mounts, from the stream (<see cref="Mounted"/>); null when
    /// the stream does not hold it, <paramref name="why"/> then naming it and why it was not read.
    /// </summary>
    public static YamlMappingNode? MountedData(ManifestValues spec, IReadOnlyList<YamlMappingNode> objects, string configMap, out string why)
    {
        string? ns = NamespaceOf(spec.Agent, spec.File);
        string shown = IO.TerminalText.EscapeWhole(configMap) + (ns is null ? string.Empty : $" in the namespace {IO.TerminalText.EscapeWhole(ns)}");
        YamlMappingNode? map = Mounted(spec.File, objects, configMap, ns, out string? ambiguous);
        why = $"{shown}, {ambiguous ?? "which this file does not hold"}";
        return map is null ? null : HelmNodes.Map(map, "data", spec.File);
    }

    // Of the stream's ConfigMaps of that name: the last one in the DatadogAgent's namespace, else the last naming none (it goes where the stream is
    // applied, the DatadogAgent's namespace too when it goes in one apply). A DatadogAgent naming no namespace is in the one the stream is applied
    // to, which the file does not say: a ConfigMap of each of several namespaces is not told apart (ambiguous says so).
    private static YamlMappingNode? Mounted(string file, IReadOnlyList<YamlMappingNode> objects, string configMap, string? ns, out string? ambiguous)
    {
        YamlMappingNode[] named =
            [.. objects.Where(o => HelmNodes.Scalar(o, "kind", file)?.Value == "ConfigMap" && HelmNodes.Scalar(o, "metadata.name", file)?.Value == configMap)];
        string?[] namespaces = [.. named.Select(o => NamespaceOf(o, file)).Distinct()];
        ambiguous = ns is null && namespaces.Length > 1
            ? $"which this file holds in several namespaces ({string.Join(", ", namespaces.Select(n => IO.TerminalText.EscapeWhole(n ?? "none named")))}) while the " +
                "DatadogAgent names none: which one it mounts depends on where it is applied"
            : null;
        return ambiguous is not null ? null
            : ns is null ? named.LastOrDefault()
            : named.LastOrDefault(o => NamespaceOf(o, file) == ns) ?? named.LastOrDefault(o => NamespaceOf(o, file) is null);
    }

    // The namespace an object of the stream names; null when it names none, and goes where the stream is applied (kubectl apply -n, else the
    // context's namespace).
    private static string? NamespaceOf(YamlMappingNode kubernetesObject, string file) =>
        HelmNodes.Scalar(kubernetesObject, "metadata.namespace", file)?.Value is { Length: > 0 } ns ? ns : null;

    private static void Unread(PlanNotes notes, string where) => notes.Add($"The DDOT Collector's configuration comes from {where}, which the plan " +
        "cannot read: its exporters' destinations and its receivers are not planned; give the configuration itself to plan them.");

    // The port datadog.otelCollector.ports names (get-port-number-from-name), else the chart's own.
    private static int Port(YamlMappingNode root, string file, string name, int fallback) =>
        HelmNodes.Entries(root, "datadog.otelCollector.ports", file, "containerPort", "a map (containerPort, protocol)")
            .Where(e => HelmNodes.Field(e.Entry, e.Key, "name", file)?.Value == name)
            .Select(e => int.TryParse(HelmNodes.Field(e.Entry, e.Key, "containerPort", file)?.Value, out int port) ? port : (int?)null)
            .FirstOrDefault(p => p is > 0 and <= 65535) ?? fallback;

    // The default both write: OTLP in on the pod's ports, out through the datadog exporter (its site empty: the core agent's), or, with the
    // OTel Agent gateway, to the gateway's service over OTLP/HTTP; the collector's own metrics scraped on 8888 in the pod.
    private static YamlMappingNode Default(string? gateway, int grpc, int http) => YamlSettings.Load($$"""
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 0.0.0.0:{{grpc}}
              http:
                endpoint: 0.0.0.0:{{http}}
        exporters:
          {{(gateway is null ? "datadog:\n    api:\n      site: \"\"" : $"otlphttp:\n    endpoint: http://{gateway}-otel-agent-gateway:{ListenerCatalog.OtlpHttp.Port}")}}
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [{{(gateway is null ? "datadog" : "otlphttp")}}]
            metrics:
              receivers: [otlp]
              exporters: [{{(gateway is null ? "datadog" : "otlphttp")}}]
            logs:
              receivers: [otlp]
              exporters: [{{(gateway is null ? "datadog" : "otlphttp")}}]
        """, "the default DDOT Collector configuration")!;
}
