using FirewallRules.Intakes;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The hosts of <see cref="EndpointKeys"/>: each endpoint of a key whose feature is on, with the port its URL or entry
/// names (443 when none, 80 for <c>http://</c>), placed in a published section when one holds the host. A key set for a
/// feature that is off is not planned, and a note says so.
/// </summary>
internal sealed class EndpointPlanner(AgentSettings settings, AgentDefaults defaults, Site site, bool kubernetes, PlanNotes notes)
{
    public void Plan(Action<AgentDestination> add)
    {
        HashSet<string> mapped = [.. FeatureSwitches.Enabled(settings, defaults, site).Select(row => row.Feature)];
        foreach (EndpointKey key in EndpointKeys.All)
        {
            if (!settings.IsSet(key.Key) || Superseded(key.Key))
            {
                continue;
            }

            if (!IsOn(key.Feature, mapped))
            {
                notes.Add($"{key.Key} is set, but {key.Feature} is off in this configuration: its endpoints are not planned.");
                continue;
            }

            foreach (AgentDestination destination in Destinations(key))
            {
                add(destination);
            }
        }
    }

    private IEnumerable<AgentDestination> Destinations(EndpointKey key)
    {
        string purpose = $"{key.What} ({key.Key})";
        // Dual shipping sends to the main endpoint and to each extra one: the main one first, unless a key of its own replaces it.
        string mainWhat = $"{key.What.Replace(", dual shipping", string.Empty, StringComparison.Ordinal)}, the main endpoint beside {key.Key}";
        AgentDestination[] main = key.Main is not Intake intake ? []
            : key.Pipeline is string pipeline && PipelineMoves.Moved(settings, pipeline, key.Feature, mainWhat) is { } moved ? [moved]
            : [Placement.Of(key.Feature, intake.Host(site), PortRange.Https, mainWhat)];
        return main.Concat(Extra(key, purpose));
    }

    private IEnumerable<AgentDestination> Extra(EndpointKey key, string purpose)
    {
        return key.Shape switch
        {
            EndpointShape.Urls => AdditionalEndpoints.Urls(settings, key.Key)
                .Select(e => Placement.Of(key.Feature, e.Host, DestinationPlanner.Tcp(e.Port), purpose, e.Scheme)),
            // The EVP proxy sends to https://<subdomain>.<domain> (pkg/trace/api/evp_proxy.go), as for evp_proxy_config.dd_url.
            EndpointShape.Domains => AdditionalEndpoints.Domains(settings, key.Key, notes)
                .Select(domain => Placement.Of(key.Feature, IntakeCatalog.LlmObservability.Host(domain), PortRange.Https, purpose)),
            // The event-platform pipelines are HTTP: each extra endpoint takes its own use_ssl, else the main endpoint's TLS (AdditionalEndpoints.Scheme).
            _ => AdditionalEndpoints.Hosts(settings, key.Key).Select(e =>
            {
                string scheme = AdditionalEndpoints.Scheme(e.UseSsl, MainScheme(key), defaults.Version);
                return Placement.Of(key.Feature, e.Host, new PortRange(TransportProtocol.Tcp, e.Port ?? (scheme == "http" ? 80 : 443)), purpose, scheme);
            }),
        };
    }

    // The main endpoint's scheme of a pipeline: http when its own logs_dd_url sends plain HTTP, else https (the site's intake, or a relay over TLS).
    private string MainScheme(EndpointKey key) =>
        key.Pipeline is string pipeline && PipelineMoves.Moved(settings, pipeline, key.Feature, key.What) is { Scheme: "http" } ? "http" : "https";

    // "If both are set orchestrator_explorer.orchestrator_additional_endpoints will take precedence" (config.go).
    private bool Superseded(string key) =>
        key == "process_config.orchestrator_additional_endpoints" && settings.IsSet("orchestrator_explorer.orchestrator_additional_endpoints");

    private bool IsOn(string feature, HashSet<string> mapped) => feature switch
    {
        "process" => ProcessFeatures.Read(settings).Any,
        "process-events" => settings.Bool("process_config.event_collection.enabled", false),
        "orchestrator" => kubernetes && settings.Bool("orchestrator_explorer.enabled", true),
        "profiling" or "debugger" => settings.Bool("apm_config.enabled", true),
        "compliance" => settings.Bool("compliance_config.enabled", false) && settings.Running.Serves("compliance_config.enabled"),
        "runtime-security" => settings.Bool("runtime_security_config.enabled", false) && settings.Running.Serves("runtime_security_config.enabled"),
        // Turned on in each integration's conf.d (databases, SNMP devices): by its instances when it was read, else planned when set.
        "database-monitoring" => settings.Checks is not { } checks || checks.DatabaseMonitoring.Any(),
        "ndm" => settings.Checks is not { } read || read.Of("snmp").Any() || mapped.Contains("ndm")
            || settings.IsSet("network_devices.autodiscovery") || settings.IsSet("snmp_listener"),
        _ => mapped.Contains(feature),
    };
}
