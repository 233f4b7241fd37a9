namespace FirewallRules.PrivateLink;

/// <summary>A private endpoint's target as one documentation source gives it.</summary>
/// <param name="Target">
/// What to connect to: the AWS endpoint service name (<c>com.amazonaws.vpce.us-east-1.vpce-svc-...</c>), the Azure
/// Private Link service alias, or the Google Cloud service attachment.
/// </param>
/// <param name="PrivateDnsName">The name the endpoint answers for: a private hosted zone's name when DNS is set up by hand.</param>
/// <param name="Source">Where this value is documented.</param>
public sealed record DocumentedEndpoint(string Target, string PrivateDnsName, DocumentationSource Source);
