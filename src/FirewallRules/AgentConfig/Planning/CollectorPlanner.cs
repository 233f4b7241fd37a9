using System.Net;
using FirewallRules.Cidr;
using FirewallRules.Intakes;
using FirewallRules.Rules;
using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What the DDOT Collector (the Agent's OpenTelemetry Collector, <c>otel-agent</c>) contacts and listens on, from its configuration
/// (<see cref="CollectorConfig"/>): each exporter a pipeline names, on the signals of those pipelines, and each receiver's endpoints.
/// </summary>
/// <remarks>
/// The <c>datadog</c> exporter sends through the Agent's own pipelines, configured from the exporter (DataDog/datadog-agent @
/// <c>95fa9183822d8bd79166654d7dfb6212aa05fec1</c>, <c>cmd/otel-agent/config/agent_config.go</c>: <c>dd_url</c> from <c>metrics.endpoint</c>,
/// <c>logs_enabled</c> and <c>logs_config.force_use_http</c> on, <c>logs_config.logs_dd_url</c> from <c>logs.endpoint</c>,
/// <c>apm_config.apm_dd_url</c> from <c>traces.endpoint</c>; <c>comp/otelcol/otlp/components/exporter/datadogexporter/factory.go</c>: metrics
/// through the serializer, logs through the logs agent, traces through the trace agent), each endpoint, when the exporter does not
/// set it, the site's (open-telemetry/opentelemetry-collector-contrib @ <c>19afff5e0e62b96dd92528b46182c3c39b4c485a</c>,
/// <c>pkg/datadog/config/config.go</c> <c>Unmarshal</c>: <c>https://api.&lt;site&gt;</c>, <c>https://trace.agent.&lt;site&gt;</c>,
/// <c>https://http-intake.logs.&lt;site&gt;</c>); an empty <c>api.site</c> is the core agent's (<c>comp/otelcol/converter/impl/coreconfig.go</c>
/// <c>addAPIKeySite</c> @ <c>7b97d75ad72937ca1cd942f8da89613d3d8d05ed</c>). The OTLP exporters send to their <c>endpoint</c>
/// (<c>otlphttp</c>'s per-signal <c>traces_endpoint</c>, <c>metrics_endpoint</c>, <c>logs_endpoint</c> first).
/// </remarks>
internal sealed class CollectorPlanner(CollectorConfig config, Site site, PlanNotes notes)
{
    /// <summary>The feature the plan names the collector's destinations and listeners by.</summary>
    public const string Feature = "ddot";

    private static readonly string[] Quiet = ["debug", "logging", "nop", "file"];

    public void Plan(Action<AgentDestination> add)
    {
        foreach ((string exporter, YamlMappingNode settings) in config.Exporters)
        {
            string[] signals = [.. config.SignalsOf(exporter)];
            switch (CollectorConfig.TypeOf(exporter))
            {
                case "datadog":
                    Datadog(exporter, settings, signals, add);
                    break;
                case "otlphttp":
                    Otlp(exporter, settings, signals, http: true, add);
                    break;
                case "otlp":
                    Otlp(exporter, settings, signals, http: false, add);
                    break;
                case string type when !Quiet.Contains(type):
                    notes.Add($"The DDOT Collector's exporter {Shown(exporter)} ({config.Name}) sends {string.Join(", ", signals)} where its configuration says: " +
                        "not planned; allow it by hand.");
                    break;
            }
        }
    }

    // The datadog exporter: each signal to its endpoint, or the site's host for it.
    private void Datadog(string exporter, YamlMappingNode settings, string[] signals, Action<AgentDestination> add)
    {
        string domain = config.Text(settings, "api.site")?.TrimEnd('.').ToLowerInvariant() ?? site.Domain;
        if (!Site.All.Any(s => s.Domain == domain))
        {
            throw new AgentConfigurationException(new SettingOrigin(config.Name, null), $"exporters.{exporter}.api.site",
                $"unknown site '{ShownValue.For("site", domain) ?? "?"}': use one of {string.Join(", ", Site.All.Select(s => s.Domain))}");
        }

        foreach (string signal in signals)
        {
            (Intake intake, string what) = signal switch
            {
                "metrics" => (IntakeCatalog.Api, "metrics"),
                "traces" => (IntakeCatalog.Traces, "traces"),
                _ => (IntakeCatalog.HttpLogs, "logs"),
            };
            string key = $"{what}.endpoint";
            string url = config.Text(settings, key) ?? $"https://{intake.Host(domain)}";
            (string host, int? port) = IntakeHosts.Parse(url) ?? throw new AgentConfigurationException(new SettingOrigin(config.Name, null),
                $"exporters.{exporter}.{key}", "must be a URL such as " + intake.ExampleUrl);
            if (Special(exporter, key, host))
            {
                continue;
            }

            add(Placement.Of(Feature, host, new PortRange(TransportProtocol.Tcp, port ?? 443),
                $"the DDOT Collector's {what}, through the Agent's {(signal == "metrics" ? "forwarder" : signal == "traces" ? "trace agent" : "logs agent")} " +
                    $"({Shown(exporter)} exporter{(config.Text(settings, key) is null ? string.Empty : ", " + key)})", IntakeHosts.SchemeOf(url)));
        }
    }

    // An OTLP exporter: otlphttp's per-signal endpoint first, then its endpoint (a base URL); otlp's host:port (gRPC).
    private void Otlp(string exporter, YamlMappingNode settings, string[] signals, bool http, Action<AgentDestination> add)
    {
        foreach (string signal in signals)
        {
            string? url = (http ? config.Text(settings, $"{signal}_endpoint") : null) ?? config.Text(settings, "endpoint");
            if (url is null || IntakeHosts.Parse(url) is not var (host, port))
            {
                notes.Add($"The DDOT Collector's exporter {Shown(exporter)} ({config.Name}) names no endpoint a plan can read for {signal}: not planned; allow it by hand.");
                continue;
            }

            if (Special(exporter, "endpoint", host))
            {
                continue;
            }

            add(Placement.Of(Feature, host, new PortRange(TransportProtocol.Tcp, port ?? (http ? 443 : ListenerCatalog.OtlpGrpc.Port)),
                $"the DDOT Collector's {signal}, OTLP over {(http ? "HTTP" : "gRPC")} ({Shown(exporter)} exporter)", http ? IntakeHosts.SchemeOf(url) : null));
        }
    }

    // A special-purpose host is never planned from the collector's exporters, as from the agent's own keys: a metadata service is
    // refused in one line, any other (loopback, a private gateway's link-local address...) left out with a note.
    private bool Special(string exporter, string key, string host)
    {
        string bare = host.Trim('[', ']');
        IPAddress? address = IPAddress.TryParse(bare, out IPAddress? parsed) ? parsed : null;
        if ((address is null ? SpecialAddresses.FindName(bare) : SpecialAddresses.Find(address)) is not { } special)
        {
            return false;
        }

        string shown = IO.TerminalText.EscapeWhole(address?.ToString() ?? bare.TrimEnd('.').ToLowerInvariant());
        if (special.IsMetadataService)
        {
            throw new AgentConfigurationException(new SettingOrigin(config.Name, null), $"exporters.{exporter}.{key}",
                $"{shown} is a cloud's instance metadata service, which no allow-list may open: it hands out the host's credentials");
        }

        notes.Add($"The DDOT Collector's exporter {Shown(exporter)} ({config.Name}) sends to {shown}, special-purpose ({special.Name}): not planned; " +
            "allow it by hand if it is meant.");
        return true;
    }

    /// <summary>The receivers' listeners: each endpoint of an OTLP receiver, and any other receiver's <c>endpoint</c>.</summary>
    public static void Listen(CollectorConfig config, Action<string, PortRange, string, string, string> add)
    {
        foreach ((string receiver, YamlMappingNode settings) in config.Receivers)
        {
            if (CollectorConfig.TypeOf(receiver) == "otlp")
            {
                YamlMappingNode? protocols = YamlSettings.Child(settings, "protocols", config.Name) as YamlMappingNode;
                foreach ((string protocol, int port) in new[] { ("grpc", ListenerCatalog.OtlpGrpc.Port), ("http", ListenerCatalog.OtlpHttp.Port) }.Where(p => protocols is not null
                    && YamlSettings.Child(protocols, p.Item1, config.Name) is not null))
                {
                    // The collector's OTLP receiver listens on localhost by default (confignet, component.UseLocalHostAsDefaultHost, collector v0.104.0 on).
                    string key = $"protocols.{protocol}.endpoint";
                    Endpoint(config, receiver, config.Text(settings, key) ?? $"localhost:{port}", Written(config, settings, key), $"{Feature}-otlp-{protocol}", add);
                }
            }
            else if (config.Text(settings, "endpoint") is string endpoint)
            {
                Endpoint(config, receiver, endpoint, Written(config, settings, "endpoint"), $"{Feature}-{CollectorConfig.TypeOf(receiver)}", add);
            }
        }
    }

    private static string? Written(CollectorConfig config, YamlMappingNode settings, string key) => HelmNodes.Scalar(settings, key, config.Name)?.Value;

    private static void Endpoint(CollectorConfig config, string receiver, string endpoint, string? written, string feature, Action<string, PortRange, string, string, string> add)
    {
        if (Bind(endpoint, written) is not (string host, int port))
        {
            throw new AgentConfigurationException(new SettingOrigin(config.Name, null), $"receivers.{receiver}",
                $"its endpoint must be HOST:PORT, such as localhost:{ListenerCatalog.OtlpGrpc.Port}");
        }

        add(feature, new PortRange(TransportProtocol.Tcp, port), host, $"the DDOT Collector's {Shown(receiver)} receiver", $"{config.Name}: receivers.{receiver}");
    }

    // HOST:PORT as the collector listens on it (Go's net.Listen): no host is every address (":4317"); a host a variable gives that the Agent's
    // environment leaves unset here (${env:MY_POD_IP}, which the pod spec sets from the downward API's status.podIP) is that variable's
    // address, the pod's, never loopback: shown as written.
    private static (string Host, int Port)? Bind(string endpoint, string? written)
    {
        if (!endpoint.StartsWith(':'))
        {
            return IntakeHosts.Parse(endpoint) is (string host, int port) ? (host, port) : null;
        }

        string raw = written?.Trim() ?? string.Empty;
        int end = raw.StartsWith("${", StringComparison.Ordinal) ? raw.IndexOf('}', StringComparison.Ordinal) : -1;
        return IntakeHosts.Parse("0.0.0.0" + endpoint) is (_, int any) ? (end > 0 ? IO.TerminalText.EscapeWhole(raw[..(end + 1)]) : "0.0.0.0", any) : null;
    }

    private static string Shown(string component) => IO.TerminalText.EscapeWhole(component.Length > 60 ? component[..60] : component);
}
