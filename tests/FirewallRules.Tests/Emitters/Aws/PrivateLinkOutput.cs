using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Emitters;

/// <summary>An interface endpoint read back from an output; references are the referenced resource's or parameter's name.</summary>
internal sealed record EndpointResource(string Id, string ServiceName, string? ServiceRegion, bool PrivateDns, IReadOnlyList<string> SecurityGroups, string Vpc, string Subnets);

/// <summary>A private hosted zone read back: its name and the (VPC, region) references it is associated with.</summary>
internal sealed record ZoneResource(string Id, string Name, IReadOnlyList<(string Vpc, string? Region)> Vpcs);

/// <summary>An alias record read back: its zone, name and type, and the endpoint both alias parts come from.</summary>
internal sealed record AliasRecord(string Zone, string Name, string Type, string Endpoint);

/// <summary>
/// A PrivateLink CloudFormation template or Terraform configuration parsed back into one shape: the security group
/// rules (through <see cref="AwsOutput"/>), and the endpoints, zones and records, so one set of proofs covers both.
/// </summary>
internal sealed partial class PrivateLinkOutput(AwsOutput groups, IReadOnlyList<EndpointResource> endpoints, IReadOnlyList<ZoneResource> zones, IReadOnlyList<AliasRecord> records)
{
    private static readonly string[] KnownTypes = ["AWS::EC2::SecurityGroup", "AWS::EC2::VPCEndpoint", "AWS::Route53::HostedZone", "AWS::Route53::RecordSet"];

    public AwsOutput Groups { get; } = groups;

    public IReadOnlyList<EndpointResource> Endpoints { get; } = endpoints;

    public IReadOnlyList<ZoneResource> Zones { get; } = zones;

    public IReadOnlyList<AliasRecord> Records { get; } = records;

    public static PrivateLinkOutput FromCloudFormation(string json)
    {
        JsonObject template = JsonNode.Parse(json)!.AsObject();
        JsonObject resources = template["Resources"]!.AsObject();
        Assert.That(resources.Select(r => (string)r.Value!["Type"]!).Except(KnownTypes), Is.Empty, "a resource of an unexpected type");

        // The security groups alone go through the AWS emitters' own reader.
        var groupsOnly = new JsonObject { ["Resources"] = new JsonObject(resources
            .Where(r => (string)r.Value!["Type"]! == "AWS::EC2::SecurityGroup")
            .Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value!.DeepClone()))) };
        var endpoints = new List<EndpointResource>();
        var zones = new List<ZoneResource>();
        var records = new List<AliasRecord>();
        foreach ((string id, JsonNode? resource) in resources)
        {
            JsonNode properties = resource!["Properties"]!;
            switch ((string)resource["Type"]!)
            {
                case "AWS::EC2::VPCEndpoint":
                    Assert.That((string)properties["VpcEndpointType"]!, Is.EqualTo("Interface"), id);
                    endpoints.Add(new EndpointResource(id, (string)properties["ServiceName"]!, (string?)properties["ServiceRegion"], (bool)properties["PrivateDnsEnabled"]!,
                        properties["SecurityGroupIds"]!.AsArray().Select(g => GetAtt(g!, "GroupId")).ToArray(), Ref(properties["VpcId"]!), Ref(properties["SubnetIds"]!)));
                    break;
                case "AWS::Route53::HostedZone":
                    zones.Add(new ZoneResource(id, (string)properties["Name"]!,
                        properties["VPCs"]!.AsArray().Select(v => (Ref(v!["VPCId"]!), (string?)Ref(v!["VPCRegion"]!))).ToArray()));
                    break;
                case "AWS::Route53::RecordSet":
                    JsonNode alias = properties["AliasTarget"]!;
                    string zoneEndpoint = DnsEntryPart(alias["HostedZoneId"]!, 0);
                    string nameEndpoint = DnsEntryPart(alias["DNSName"]!, 1);
                    Assert.That(nameEndpoint, Is.EqualTo(zoneEndpoint), $"{id}: the alias's zone and name come from different endpoints");
                    records.Add(new AliasRecord(Ref(properties["HostedZoneId"]!), (string)properties["Name"]!, (string)properties["Type"]!, zoneEndpoint));
                    break;
            }
        }

        return new PrivateLinkOutput(AwsOutput.FromCloudFormation(groupsOnly.ToJsonString()), endpoints, zones, records);
    }

    /// <summary>Terraform as HashiCorp's parser returned it (expressions come back as "${...}" strings).</summary>
    public static PrivateLinkOutput FromTerraform(JsonElement hcl)
    {
        JsonElement resources = hcl.GetProperty("resource");
        Assert.That(resources.EnumerateObject().Select(r => r.Name).Except(
            ["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_vpc_endpoint", "aws_route53_zone", "aws_route53_record"]),
            Is.Empty, "a resource of an unexpected type");
        var endpoints = new List<EndpointResource>();
        var zones = new List<ZoneResource>();
        var records = new List<AliasRecord>();
        foreach ((string name, JsonElement body) in Resources(resources, "aws_vpc_endpoint"))
        {
            Assert.That(body.GetProperty("vpc_endpoint_type").GetString(), Is.EqualTo("Interface"), name);
            endpoints.Add(new EndpointResource(name, body.GetProperty("service_name").GetString()!,
                body.TryGetProperty("service_region", out JsonElement region) ? region.GetString() : null,
                body.GetProperty("private_dns_enabled").GetBoolean(),
                body.GetProperty("security_group_ids").EnumerateArray().Select(g => Expression(g, "aws_security_group", "id")).ToArray(),
                Variable(body.GetProperty("vpc_id")), Variable(body.GetProperty("subnet_ids"))));
        }

        foreach ((string name, JsonElement body) in Resources(resources, "aws_route53_zone"))
        {
            zones.Add(new ZoneResource(name, body.GetProperty("name").GetString()!, body.GetProperty("vpc").EnumerateArray()
                .Select(v => (Variable(v.GetProperty("vpc_id")), v.TryGetProperty("vpc_region", out JsonElement r) ? Variable(r) : null)).ToArray()));
        }

        foreach ((string name, JsonElement body) in Resources(resources, "aws_route53_record"))
        {
            JsonElement alias = body.GetProperty("alias").EnumerateArray().Single();
            Assert.That(alias.GetProperty("evaluate_target_health").GetBoolean(), Is.False, name);
            string zoneEndpoint = Expression(alias.GetProperty("zone_id"), "aws_vpc_endpoint", "dns_entry[0].hosted_zone_id");
            string nameEndpoint = Expression(alias.GetProperty("name"), "aws_vpc_endpoint", "dns_entry[0].dns_name");
            Assert.That(nameEndpoint, Is.EqualTo(zoneEndpoint), $"{name}: the alias's zone and name come from different endpoints");
            records.Add(new AliasRecord(Expression(body.GetProperty("zone_id"), "aws_route53_zone", "zone_id"), body.GetProperty("name").GetString()!,
                body.GetProperty("type").GetString()!, zoneEndpoint));
        }

        return new PrivateLinkOutput(AwsOutput.FromTerraform(hcl), endpoints, zones, records);
    }

    private static IEnumerable<(string Name, JsonElement Body)> Resources(JsonElement resources, string type) =>
        resources.TryGetProperty(type, out JsonElement ofType)
            ? ofType.EnumerateObject().Select(r => (r.Name, r.Value.EnumerateArray().Single()))
            : [];

    private static string Ref(JsonNode node) => (string)node["Ref"]!;

    private static string GetAtt(JsonNode node, string attribute)
    {
        JsonArray getAtt = node["Fn::GetAtt"]!.AsArray();
        Assert.That((string)getAtt[1]!, Is.EqualTo(attribute));
        return (string)getAtt[0]!;
    }

    // { "Fn::Select": [part, { "Fn::Split": [":", { "Fn::Select": [0, { "Fn::GetAtt": [endpoint, "DnsEntries"] }] }] }] }: the endpoint.
    private static string DnsEntryPart(JsonNode node, int part)
    {
        JsonArray outer = node["Fn::Select"]!.AsArray();
        Assert.That((int)outer[0]!, Is.EqualTo(part));
        JsonArray split = outer[1]!["Fn::Split"]!.AsArray();
        Assert.That((string)split[0]!, Is.EqualTo(":"));
        JsonArray first = split[1]!["Fn::Select"]!.AsArray();
        Assert.That((int)first[0]!, Is.EqualTo(0));
        return GetAtt(first[1]!, "DnsEntries");
    }

    private static string Variable(JsonElement value) =>
        VariableReference().Match(value.GetString()!) is { Success: true } match ? match.Groups["name"].Value : throw new FormatException($"{value} is not a variable");

    private static string Expression(JsonElement value, string type, string attribute)
    {
        Match match = ResourceReference().Match(value.GetString()!);
        Assert.That(match.Success && match.Groups["type"].Value == type && match.Groups["attribute"].Value == attribute, Is.True,
            $"{value} is not {type}.NAME.{attribute}");
        return match.Groups["name"].Value;
    }

    [GeneratedRegex("""^\$\{var\.(?<name>[a-z0-9_]+)\}$""")]
    private static partial Regex VariableReference();

    [GeneratedRegex("""^\$\{(?<type>[a-z0-9_]+)\.(?<name>[a-z0-9_]+)\.(?<attribute>[a-z0-9_.\[\]]+)\}$""")]
    private static partial Regex ResourceReference();
}
