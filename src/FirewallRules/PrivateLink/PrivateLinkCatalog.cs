using System.Text.Json;

namespace FirewallRules.PrivateLink;

/// <summary>
/// Which Datadog sites can be reached privately, and how: AWS PrivateLink (US1, AP1, AP2, UK1), Azure Private Link
/// (US3) and Google Cloud Private Service Connect (US5, EU1), with each intake's endpoint, from Datadog's documentation
/// (the <c>data/privatelink.json</c> and <c>data/privatelink-vpc-endpoint-ids.csv</c> embedded in the package; see
/// <c>data/PROVENANCE.md</c>). Build rules with <see cref="PrivateLinkPlan"/>.
/// </summary>
/// <remarks>
/// The AWS values come from two sources that disagree in places (US1 API and traces, AP2 metrics). Both values are
/// kept, each with its source (<see cref="PrivateEndpoint.Documented"/>); nothing here picks one.
/// </remarks>
public static class PrivateLinkCatalog
{
    private const string DataResource = "FirewallRules.PrivateLink.privatelink.json";
    private const string TableResource = "FirewallRules.PrivateLink.privatelink-vpc-endpoint-ids.csv";
    private const string TableHeader = "site,dd_site,aws_region,name,anchor,vpc_endpoint_service_id";

    private static readonly Lazy<Catalog> Data = new(Load);

    // Command-line keys, in the guide's order; the data file writes them with underscores.
    private static readonly (DatadogService Service, string Key)[] Keys =
    [
        (DatadogService.LogsAgent, "logs-agent"),
        (DatadogService.LogsUser, "logs-user"),
        (DatadogService.Api, "api"),
        (DatadogService.Metrics, "metrics"),
        (DatadogService.Containers, "containers"),
        (DatadogService.Process, "process"),
        (DatadogService.Profiling, "profiling"),
        (DatadogService.Traces, "traces"),
        (DatadogService.DatabaseMonitoring, "dbm"),
        (DatadogService.RemoteConfiguration, "remote-config"),
    ];

    // The Azure and Google Cloud guides name their entries; these are the ones with an AWS counterpart.
    private static readonly Dictionary<string, DatadogService> OtherCloudLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Logs (Agent)"] = DatadogService.LogsAgent,
        ["Logs (User HTTP Intake)"] = DatadogService.LogsUser,
        ["API"] = DatadogService.Api,
        ["Metrics"] = DatadogService.Metrics,
        ["Containers"] = DatadogService.Containers,
        ["Process"] = DatadogService.Process,
        ["Profiling"] = DatadogService.Profiling,
        ["Traces"] = DatadogService.Traces,
        ["Database Monitoring"] = DatadogService.DatabaseMonitoring,
        ["Remote Configuration"] = DatadogService.RemoteConfiguration,
    };

    private static readonly Dictionary<string, DocumentationSource> SourceKeys = new(StringComparer.Ordinal)
    {
        ["regions_config"] = DocumentationSource.RegionsConfig,
        ["vpc_endpoint_table"] = DocumentationSource.EndpointTable,
        ["azure_doc"] = DocumentationSource.AzureGuide,
        ["gcp_doc"] = DocumentationSource.GcpGuide,
    };

    /// <summary>Every site's offering, in the order of <see cref="Site.All"/>; sites that offer nothing are absent.</summary>
    public static IReadOnlyList<PrivateConnectivity> All => Data.Value.Offerings;

    /// <summary>The sites that offer AWS PrivateLink.</summary>
    public static IReadOnlyList<Site> AwsPrivateLinkSites =>
        All.Where(o => o.Kind == PrivateConnectivityKind.AwsPrivateLink).Select(o => o.Site).ToArray();

    /// <summary>The data file's notes on its sources and their disagreements, as written.</summary>
    public static IReadOnlyList<string> Notes => Data.Value.Notes;

    /// <summary>What <paramref name="site"/> offers, or null when it offers no private connectivity (US1-FED, US2-FED, a mirror).</summary>
    public static PrivateConnectivity? For(Site site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return All.FirstOrDefault(o => o.Site == site);
    }

    /// <summary>The repository, file and commit behind <paramref name="source"/>.</summary>
    public static string Cite(DocumentationSource source) => Data.Value.Citations[source];

    /// <summary>The command-line key of a service, e.g. <c>logs-agent</c> or <c>dbm</c>.</summary>
    public static string GetKey(DatadogService service) =>
        Keys.FirstOrDefault(k => k.Service == service).Key
        ?? throw new ArgumentOutOfRangeException(nameof(service), service, "Not a Datadog service with a private endpoint.");

    /// <summary>Reads a service key (<c>logs-agent</c>, <c>api</c>, <c>dbm</c>, ...; case-insensitive, <c>_</c> for <c>-</c> accepted).</summary>
    public static bool TryParseService(string? key, out DatadogService service)
    {
        string normalized = (key ?? string.Empty).Trim().Replace('_', '-');
        (service, string? found) = Keys.FirstOrDefault(k => string.Equals(k.Key, normalized, StringComparison.OrdinalIgnoreCase));
        return found is not null;
    }

    /// <summary>A short name for a source, for messages and listings: <c>regions.config.js</c>, <c>the VPC endpoint service table</c>, ...</summary>
    internal static string ShortName(DocumentationSource source) => source switch
    {
        DocumentationSource.RegionsConfig => "regions.config.js",
        DocumentationSource.EndpointTable => "the VPC endpoint service table",
        DocumentationSource.AzureGuide => "the Azure Private Link guide",
        _ => "the Private Service Connect guide",
    };

    /// <summary>
    /// One sentence on who offers what, for refusals: <c>AWS PrivateLink: US1 (us-east-1), ...; Azure Private Link:
    /// US3 (westus2); Google Cloud Private Service Connect: US5 (us-central1), EU1 (europe-west3)</c>.
    /// </summary>
    internal static string DescribeOfferings() =>
        string.Join("; ", All.GroupBy(o => o.Kind).Select(kind =>
            $"{kind.First().KindName}: {string.Join(", ", kind.Select(o => $"{o.Site.Name} ({o.Region})"))}"));

    private static Catalog Load()
    {
        PrivateLinkDataDto dto = JsonSerializer.Deserialize(Resource(DataResource), PrivateLinkJsonContext.Default.PrivateLinkDataDto)
            ?? throw new InvalidDataException("privatelink.json is empty");
        IReadOnlyList<TableRow> table = ReadTable(System.Text.Encoding.UTF8.GetString(Resource(TableResource)));

        var offerings = new List<PrivateConnectivity>();
        foreach ((string key, AwsSiteDto site) in Required(dto.AwsPrivateLink, "aws_privatelink"))
        {
            offerings.Add(AwsOffering(key, site, table));
        }

        foreach ((string key, OtherCloudSiteDto site) in Required(dto.AzurePrivateLink, "azure_private_link"))
        {
            offerings.Add(OtherCloudOffering(key, site, PrivateConnectivityKind.AzurePrivateLink, $"azure_private_link.{key}"));
        }

        foreach ((string key, OtherCloudSiteDto site) in Required(dto.GcpPrivateServiceConnect, "gcp_private_service_connect"))
        {
            offerings.Add(OtherCloudOffering(key, site, PrivateConnectivityKind.GcpPrivateServiceConnect, $"gcp_private_service_connect.{key}"));
        }

        var citations = new Dictionary<DocumentationSource, string>();
        foreach ((string key, DocumentationSource source) in SourceKeys)
        {
            SourceDto cited = Required(Required(dto.Sources, "sources").GetValueOrDefault(key), $"sources.{key}");
            citations[source] = $"{Required(cited.Repository, $"sources.{key}.repository")} {Required(cited.Path, $"sources.{key}.path")}"
                + (cited.Commit is { Length: > 0 } commit ? $" @ {commit}" : " (commit not identified)");
        }

        return new Catalog(
            [.. offerings.OrderBy(o => IndexOf(o.Site))],
            citations,
            dto.Notes ?? []);
    }

    private static PrivateConnectivity AwsOffering(string key, AwsSiteDto dto, IReadOnlyList<TableRow> table)
    {
        string path = $"aws_privatelink.{key}";
        Site site = ParseSite(key, path);
        string sourceKey = Required(dto.Source, $"{path}.source").Split(' ')[0];
        DocumentationSource source = SourceKeys.TryGetValue(sourceKey, out DocumentationSource known)
            ? known
            : throw new InvalidDataException($"privatelink.json: {path}.source names an unknown source '{sourceKey}'");
        var endpoints = new List<PrivateEndpoint>();
        foreach ((string serviceKey, AwsServiceDto service) in Required(dto.Services, $"{path}.services"))
        {
            string servicePath = $"{path}.services.{serviceKey}";
            if (!TryParseService(serviceKey, out DatadogService kind))
            {
                throw new InvalidDataException($"privatelink.json: {servicePath} is not a known service");
            }

            var documented = new List<DocumentedEndpoint>
            {
                new(Required(service.ServiceName, $"{servicePath}.service_name"), Required(service.PrivateDnsName, $"{servicePath}.private_dns_name"), source),
            };

            // The table names hostnames and their anchors: the rows for this endpoint are those whose hostname or
            // anchor is its private DNS name. A value the table gives differently is kept beside the catalog's.
            if (source != DocumentationSource.EndpointTable)
            {
                documented.AddRange(table
                    .Where(row => row.Site == key && (row.Name == documented[0].PrivateDnsName || row.Anchor == documented[0].PrivateDnsName))
                    .Select(row => new DocumentedEndpoint(row.ServiceName, row.Anchor ?? row.Name, DocumentationSource.EndpointTable))
                    .Distinct()
                    .Where(value => value.Target != documented[0].Target));
            }

            endpoints.Add(new PrivateEndpoint(kind, Required(service.Label, $"{servicePath}.label"), documented));
        }

        return new PrivateConnectivity(site, PrivateConnectivityKind.AwsPrivateLink, Required(dto.Region, $"{path}.aws_region"), dto.CrossRegionLabel,
            [.. endpoints.OrderBy(e => e.Service)]);
    }

    private static PrivateConnectivity OtherCloudOffering(string key, OtherCloudSiteDto dto, PrivateConnectivityKind kind, string path)
    {
        bool azure = kind == PrivateConnectivityKind.AzurePrivateLink;
        DocumentationSource source = azure ? DocumentationSource.AzureGuide : DocumentationSource.GcpGuide;
        PrivateEndpoint[] endpoints = Required(dto.Services, $"{path}.services").Select((service, i) =>
        {
            string servicePath = $"{path}.services[{i}]";
            string label = Required(service.Label, $"{servicePath}.label");
            string target = azure ? Required(service.ServiceAlias, $"{servicePath}.service_alias") : Required(service.PscTarget, $"{servicePath}.psc_target");
            DatadogService? counterpart = OtherCloudLabels.TryGetValue(label, out DatadogService known) ? known : null;
            return new PrivateEndpoint(counterpart, label, [new DocumentedEndpoint(target, Required(service.PrivateDnsName, $"{servicePath}.private_dns_name"), source)]);
        }).ToArray();
        string region = Required(azure ? dto.AzureRegion : dto.GcpRegion, azure ? $"{path}.azure_region" : $"{path}.gcp_region");
        return new PrivateConnectivity(ParseSite(key, path), kind, region, crossRegionLabel: null, endpoints);
    }

    // One row per hostname: site, dd_site, aws_region, name, anchor ('---' when none), vpc_endpoint_service_id.
    private static List<TableRow> ReadTable(string csv)
    {
        string[] lines = csv.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        if (lines[0] != TableHeader)
        {
            throw new InvalidDataException($"privatelink-vpc-endpoint-ids.csv: the header is not '{TableHeader}'");
        }

        return lines.Skip(1).Select((line, i) =>
        {
            string[] fields = line.Split(',');
            if (fields.Length != 6 || fields.Any(f => f.Length == 0 || f.Contains('"', StringComparison.Ordinal)))
            {
                throw new InvalidDataException($"privatelink-vpc-endpoint-ids.csv line {i + 2}: expected 6 unquoted, non-empty fields");
            }

            return new TableRow(fields[0], fields[3], fields[4] == "---" ? null : fields[4], fields[5]);
        }).ToList();
    }

    private static Site ParseSite(string key, string path) =>
        Site.TryParse(key, out Site? site) && !site.IsCustom ? site : throw new InvalidDataException($"privatelink.json: {path} is not a Datadog site");

    private static int IndexOf(Site site) => Site.All.ToList().IndexOf(site);

    private static T Required<T>(T? value, string path)
        where T : class =>
        value ?? throw new InvalidDataException($"privatelink.json: {path} is missing");

    private static byte[] Resource(string name)
    {
        using Stream stream = typeof(PrivateLinkCatalog).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed record TableRow(string Site, string Name, string? Anchor, string ServiceName);

    private sealed record Catalog(IReadOnlyList<PrivateConnectivity> Offerings, IReadOnlyDictionary<DocumentationSource, string> Citations, IReadOnlyList<string> Notes);
}
