namespace FirewallRules.PrivateLink;

/// <summary>How a Datadog site can be reached without the public internet.</summary>
public enum PrivateConnectivityKind
{
    /// <summary>AWS PrivateLink: VPC interface endpoints to Datadog's endpoint services.</summary>
    AwsPrivateLink,

    /// <summary>Azure Private Link: private endpoints to Datadog's Private Link service aliases.</summary>
    AzurePrivateLink,

    /// <summary>Google Cloud Private Service Connect: endpoints to Datadog's service attachments.</summary>
    GcpPrivateServiceConnect,
}
