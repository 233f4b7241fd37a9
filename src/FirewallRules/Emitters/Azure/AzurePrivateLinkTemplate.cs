using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// An Azure Private Link plan as the template the ARM and Bicep formats write, as Datadog's guide lays it out: per Private
/// Link service alias a <c>Microsoft.Network/privateEndpoints</c> with a manual connection (Datadog approves it), per
/// private DNS name a <c>Microsoft.Network/privateDnsZones</c> with a <c>virtualNetworkLinks</c> child to your virtual
/// network and an <c>A</c> child per record holding the endpoint's address, and the endpoints' network security group.
/// </summary>
/// <remarks>
/// <para>The zones get A records, not a <c>privateDnsZoneGroups</c> child of each endpoint: the guide has you turn Azure's
/// private DNS integration off and add the records yourself, and a zone group only writes the names Azure knows for the
/// target (none for a partner's Private Link service, and never the guide's <c>*</c> or <c>trace</c> records).</para>
/// <para>ARM connects to a service by alias through <c>privateLinkServiceId</c>, as the portal's "resource ID or alias"
/// and azurerm's <c>private_connection_resource_alias</c> do. A record's address is the endpoint's network interface's
/// private address, read once the endpoint exists.</para>
/// </remarks>
internal static class AzurePrivateLinkTemplate
{
    private const string EndpointType = "Microsoft.Network/privateEndpoints";
    private const string NetworkApiVersion = "2024-05-01";
    private const string ZoneType = "Microsoft.Network/privateDnsZones";
    private const string PrivateDnsApiVersion = "2024-06-01";

    // Private DNS zones and their links are global resources.
    private static readonly TemplateValue.Text Global = new("global");

    /// <summary>The template for <paramref name="format"/> (named in the header).</summary>
    public static AzureTemplate Create(AzurePrivateLinkPlan plan, NsgPlan nsg, AzureNsgOptions options, string format)
    {
        IReadOnlyList<InterfaceEndpoint> endpoints = plan.ResolveEndpoints();
        IReadOnlyList<PrivateZone> zones = plan.Zones();
        TemplateParameter location = TemplateParameter.Location(AzurePrivateLinkText.LocationDescription(plan));
        TemplateParameter subnet = new("subnetId", AzurePrivateLinkText.SubnetDescription);
        TemplateParameter network = new("virtualNetworkId", AzurePrivateLinkText.VirtualNetworkDescription);
        TemplateParameter message = new("requestMessage", AzurePrivateLinkText.RequestMessageDescription, new TemplateValue.Text(AzurePrivateLinkText.DefaultRequestMessage));
        TemplateParameter nsgName = NsgResource.NameParameter(options);

        Dictionary<string, TemplateResource> byKey = endpoints.ToDictionary(e => e.Key, e => Endpoint(e, options, location, subnet, message), StringComparer.Ordinal);
        var resources = new List<TemplateResource>(byKey.Values);
        foreach (PrivateZone zone in zones)
        {
            var dnsZone = new TemplateResource(Symbol("zone", zone.DnsName), ZoneType, PrivateDnsApiVersion, new TemplateValue.Text(zone.DnsName), Global, new([]));
            resources.Add(dnsZone);
            resources.Add(new TemplateResource(Symbol("link", zone.DnsName), $"{ZoneType}/virtualNetworkLinks", PrivateDnsApiVersion,
                new TemplateValue.Text(AzurePrivateLinkText.LinkName(options, zone)), Global, new(
                [
                    ("registrationEnabled", new TemplateValue.Flag(false)),
                    ("virtualNetwork", new TemplateValue.Object([("id", network.Value)])),
                ]), dnsZone));
            resources.AddRange(zone.Records.Select(record => new TemplateResource(
                Symbol("record", $"{zone.DnsName}_{AzurePrivateLinkText.RecordWord(record.Name)}"), $"{ZoneType}/A", PrivateDnsApiVersion,
                new TemplateValue.Text(record.Name), null, new(
                [
                    ("ttl", new TemplateValue.Number(AzurePrivateLinkText.RecordTtl)),
                    ("aRecords", new TemplateValue.List([new TemplateValue.Object([("ipv4Address", PrivateAddress(byKey[record.EndpointKey]))])])),
                ]), dnsZone)));
        }

        TemplateResource group = NsgResource.For(nsg, options.Comments, nsgName, location.Value);
        resources.Add(group);
        TemplateHeader? header = options.Comments
            ? new(AzurePrivateLinkText.Title(plan, format), nsg.Rules.Describe(), [.. AzurePrivateLinkText.Guidance(plan, endpoints, $"the {subnet.Name} parameter"), .. nsg.Notes])
            : null;
        return new AzureTemplate(header, [location, subnet, network, message, nsgName], resources, [NsgResource.IdOutput(group)]);
    }

    private static TemplateResource Endpoint(
        InterfaceEndpoint endpoint, AzureNsgOptions options, TemplateParameter location, TemplateParameter subnet, TemplateParameter message) =>
        new(Symbol("endpoint", endpoint.Key), EndpointType, NetworkApiVersion, new TemplateValue.Text(AzurePrivateLinkText.EndpointName(options, endpoint)), location.Value, new(
        [
            ("subnet", new TemplateValue.Object([("id", subnet.Value)])),
            ("manualPrivateLinkServiceConnections", new TemplateValue.List([new TemplateValue.Object(
            [
                ("name", new TemplateValue.Text(AzurePrivateLinkText.EndpointName(options, endpoint))),
                ("properties", new TemplateValue.Object(
                [
                    ("privateLinkServiceId", new TemplateValue.Text(endpoint.ServiceName)),
                    ("requestMessage", message.Value),
                ])),
            ])])),
        ]));

    // The private address of the endpoint's network interface, which Azure creates with the endpoint.
    private static TemplateValue.Expression PrivateAddress(TemplateResource endpoint)
    {
        string version = TemplateValue.ArmArgument(NetworkApiVersion);
        const string Address = ".ipConfigurations[0].properties.privateIPAddress";
        return new($"reference(reference({endpoint.Id.Arm}, {version}).networkInterfaces[0].id, {version}){Address}",
            $"reference({endpoint.Symbol}.properties.networkInterfaces[0].id, {version}){Address}", [endpoint]);
    }

    // A Bicep identifier: the kind, then the part with every character that is not a letter or digit as '_'.
    private static string Symbol(string kind, string part) =>
        kind + "_" + string.Concat(part.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
}
