namespace FirewallRules.PrivateLink;

/// <summary>
/// One Datadog intake's private endpoint at one site: what to connect to and the DNS name it serves, as documented.
/// Where Datadog's documentation sources give different values, every value is kept, with its source.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class PrivateEndpoint
{
    internal PrivateEndpoint(DatadogService? service, string label, IReadOnlyList<DocumentedEndpoint> documented)
    {
        Service = service;
        Label = label;
        Documented = documented;
    }

    /// <summary>The intake, or null for an entry the AWS guide has no equivalent of (Azure's OpenTelemetry Collector logs).</summary>
    public DatadogService? Service { get; }

    /// <summary>The documentation's name for the entry, e.g. <c>Logs (Agent HTTP intake)</c>.</summary>
    public string Label { get; }

    /// <summary>
    /// Every documented value: first the catalog's own (from the source the data file took this site from), then any
    /// value another source gives differently. More than one means the sources disagree (<see cref="SourcesDisagree"/>).
    /// </summary>
    public IReadOnlyList<DocumentedEndpoint> Documented { get; }

    /// <summary>The target of the first documented value: an AWS service name, Azure alias or Google Cloud service attachment.</summary>
    public string Target => Documented[0].Target;

    /// <summary>The private DNS name of the first documented value.</summary>
    public string PrivateDnsName => Documented[0].PrivateDnsName;

    /// <summary>The source of the first documented value.</summary>
    public DocumentationSource Source => Documented[0].Source;

    /// <summary>
    /// Whether Datadog's documentation sources give different targets for this endpoint. Nothing here decides which is
    /// right: <see cref="PrivateLinkPlan"/> refuses to pick one unless told which source to prefer.
    /// </summary>
    public bool SourcesDisagree => Documented.Count > 1;

    /// <summary>The value <paramref name="source"/> documents, or null when it does not cover this endpoint.</summary>
    public DocumentedEndpoint? From(DocumentationSource source) => Documented.FirstOrDefault(d => d.Source == source);

    /// <summary>For example <c>API: com.amazonaws.vpce.us-east-1.vpce-svc-... (api.datadoghq.com)</c>.</summary>
    public override string ToString() => $"{Label}: {Target} ({PrivateDnsName})";
}
