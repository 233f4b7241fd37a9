using System.Text.Json;
using FirewallRules.Emitters.Cloud;
using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// A PrivateLink plan as one CloudFormation template: the security groups of <see cref="PrivateLinkPlan.EndpointVpcRules"/>
/// (written by <see cref="CloudFormationSecurityGroups"/>, as in the <c>aws-cloudformation</c> format), an
/// <c>AWS::EC2::VPCEndpoint</c> per endpoint service, and for a peered
/// VPC an <c>AWS::Route53::HostedZone</c> with an alias <c>AWS::Route53::RecordSet</c> per private DNS name.
/// </summary>
/// <remarks>
/// Parameters: <c>VpcId</c> and <c>SubnetIds</c> for the endpoints (and the groups), plus <c>PeerVpcId</c> and
/// <c>PeerVpcRegion</c> for a peered VPC, checked by pattern. Every string is written by <see cref="Utf8JsonWriter"/>.
/// </remarks>
internal sealed class PrivateLinkCloudFormationWriter(AwsSecurityGroupOptions options) : IPlanWriter<PrivateLinkPlan>
{
    public string Format => "aws-cloudformation";

    public EmitterOptions Options => options;

    public RuleSet RulesOf(PrivateLinkPlan plan) => plan.EndpointVpcRules;

    public void Write(PrivateLinkPlan plan, PreparedRules rules, TextWriter output)
    {
        IReadOnlyList<InterfaceEndpoint> endpoints = plan.ResolveInterfaceEndpoints();
        AwsPlan groups = AwsPlan.Create(rules, options, CloudFormationSecurityGroups.MaxListEntries);
        bool peered = plan.Mode == PrivateLinkMode.PeeredVpc;
        CloudFormationJson.RequireResources(
            CloudFormationSecurityGroups.ResourceCount(groups) + endpoints.Sum(e => 1 + (peered ? 2 * e.PrivateDnsNames.Count : 0)));

        CloudFormationJson.Write(output, (writer, deployNote) => WriteTemplate(writer, plan, groups, endpoints, deployNote));
    }

    private void WriteTemplate(Utf8JsonWriter writer, PrivateLinkPlan plan, AwsPlan groups, IReadOnlyList<InterfaceEndpoint> endpoints, string? deployNote)
    {
        bool peered = plan.Mode == PrivateLinkMode.PeeredVpc;
        CloudFormationJson.WriteHead(writer, options.Comments, PrivateLinkText.Title(plan), groups.Rules, CommentText.SingleLines(
            [.. PrivateLinkText.Guidance(plan, endpoints, "VpcId", "SubnetIds", "PeerVpcId in PeerVpcRegion"), .. groups.Notes]), deployNote);

        writer.WriteStartObject("Parameters");
        CloudFormationJson.WriteParameter(writer, "VpcId", "AWS::EC2::VPC::Id", "The VPC to create the endpoints and security groups in.");
        CloudFormationJson.WriteParameter(writer, "SubnetIds", "List<AWS::EC2::Subnet::Id>",
            $"The subnets for the endpoints' network interfaces, one per Availability Zone, within {string.Join(", ", plan.EndpointSubnets)}.");
        if (peered)
        {
            CloudFormationJson.WriteParameter(
                writer, "PeerVpcId", "String", "The peered VPC the agents run in: the private hosted zones are associated with it.", AwsIdPatterns.Vpc);
            CloudFormationJson.WriteParameter(writer, "PeerVpcRegion", "String", "The region of the peered VPC, e.g. eu-west-1.", AwsIdPatterns.Region);
        }

        writer.WriteEndObject();

        writer.WriteStartObject("Resources");
        // The ingress groups are the endpoints', not the agents' hosts: their outbound rules do not widen the agents' egress.
        new CloudFormationSecurityGroups(options).WriteResources(writer, groups, sameHosts: false);
        string[] endpointGroups = groups.Groups.Where(g => g.Direction == Direction.Ingress).Select(CloudFormationSecurityGroups.GroupId).ToArray();
        foreach (InterfaceEndpoint endpoint in endpoints)
        {
            WriteEndpoint(writer, plan, endpoint, endpointGroups);
            if (peered)
            {
                for (int i = 0; i < endpoint.PrivateDnsNames.Count; i++)
                {
                    WriteZone(writer, endpoint, i);
                }
            }
        }

        writer.WriteEndObject();

        writer.WriteStartObject("Outputs");
        CloudFormationSecurityGroups.WriteOutputs(writer, groups);
        foreach (InterfaceEndpoint endpoint in endpoints)
        {
            writer.WriteStartObject(EndpointId(endpoint));
            writer.WriteString(CloudFormationJson.DescriptionProperty, $"The id of the interface endpoint for {endpoint.Key}.");
            writer.WriteStartObject("Value");
            writer.WriteString("Ref", EndpointId(endpoint));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void WriteEndpoint(Utf8JsonWriter writer, PrivateLinkPlan plan, InterfaceEndpoint endpoint, string[] securityGroups)
    {
        writer.WriteStartObject(EndpointId(endpoint));
        writer.WriteString("Type", "AWS::EC2::VPCEndpoint");
        writer.WriteStartObject("Properties");
        writer.WriteString("VpcEndpointType", "Interface");
        writer.WriteString("ServiceName", endpoint.ServiceName);
        if (plan.Mode == PrivateLinkMode.CrossRegion)
        {
            writer.WriteString("ServiceRegion", plan.Region);
        }

        CloudFormationJson.WriteRef(writer, "VpcId", "VpcId");
        CloudFormationJson.WriteRef(writer, "SubnetIds", "SubnetIds");
        writer.WriteStartArray("SecurityGroupIds");
        foreach (string group in securityGroups)
        {
            writer.WriteStartObject();
            CloudFormationJson.WriteGetAtt(writer, group, "GroupId");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        // A peered VPC resolves the names through the zones below; private DNS would only serve this VPC.
        writer.WriteBoolean("PrivateDnsEnabled", plan.Mode != PrivateLinkMode.PeeredVpc);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void WriteZone(Utf8JsonWriter writer, InterfaceEndpoint endpoint, int index)
    {
        string name = endpoint.PrivateDnsNames[index];
        string zone = ZoneId(endpoint, index);
        writer.WriteStartObject(zone);
        writer.WriteString("Type", "AWS::Route53::HostedZone");
        writer.WriteStartObject("Properties");
        writer.WriteString("Name", name);
        if (options.Comments)
        {
            writer.WriteStartObject("HostedZoneConfig");
            writer.WriteString("Comment", $"Datadog PrivateLink: {name} to the interface endpoint for {endpoint.Key} (managed by FirewallRules)");
            writer.WriteEndObject();
        }

        writer.WriteStartArray("VPCs");
        WriteZoneVpc(writer, "VpcId", "AWS::Region");
        WriteZoneVpc(writer, "PeerVpcId", "PeerVpcRegion");
        writer.WriteEndArray();
        CloudFormationJson.WriteNameTag(writer, $"{options.Name}-{endpoint.Key}", "HostedZoneTags");
        writer.WriteEndObject();
        writer.WriteEndObject();

        // The endpoint's first DNS entry is its regional name, written "<hosted zone id>:<dns name>".
        writer.WriteStartObject(CloudFormationJson.LogicalId($"{zone}-record"));
        writer.WriteString("Type", "AWS::Route53::RecordSet");
        writer.WriteStartObject("Properties");
        CloudFormationJson.WriteRef(writer, "HostedZoneId", zone);
        writer.WriteString("Name", name);
        writer.WriteString("Type", "A");
        writer.WriteStartObject("AliasTarget");
        WriteDnsEntryPart(writer, "HostedZoneId", endpoint, 0);
        WriteDnsEntryPart(writer, "DNSName", endpoint, 1);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteZoneVpc(Utf8JsonWriter writer, string vpc, string region)
    {
        writer.WriteStartObject();
        CloudFormationJson.WriteRef(writer, "VPCId", vpc);
        CloudFormationJson.WriteRef(writer, "VPCRegion", region);
        writer.WriteEndObject();
    }

    // { "Fn::Select": [part, { "Fn::Split": [":", { "Fn::Select": [0, { "Fn::GetAtt": [endpoint, "DnsEntries"] }] }] }] }
    private void WriteDnsEntryPart(Utf8JsonWriter writer, string property, InterfaceEndpoint endpoint, int part)
    {
        writer.WriteStartObject(property);
        writer.WriteStartArray("Fn::Select");
        writer.WriteNumberValue(part);
        writer.WriteStartObject();
        writer.WriteStartArray("Fn::Split");
        writer.WriteStringValue(":");
        writer.WriteStartObject();
        writer.WriteStartArray("Fn::Select");
        writer.WriteNumberValue(0);
        writer.WriteStartObject();
        CloudFormationJson.WriteGetAtt(writer, EndpointId(endpoint), "DnsEntries");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private string EndpointId(InterfaceEndpoint endpoint) => CloudFormationJson.LogicalId($"{options.Name}-{endpoint.Key}-endpoint");

    private string ZoneId(InterfaceEndpoint endpoint, int index) =>
        CloudFormationJson.LogicalId($"{options.Name}-{endpoint.Key}-zone" + (endpoint.PrivateDnsNames.Count > 1 ? $"-{index + 1}" : string.Empty));
}
