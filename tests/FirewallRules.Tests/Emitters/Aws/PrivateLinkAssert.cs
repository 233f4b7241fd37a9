using System.Net;
using System.Text.RegularExpressions;
using FirewallRules.PrivateLink;
using FirewallRules.Tests.PrivateLink;

namespace FirewallRules.Tests.Emitters;

/// <summary>How one format names the deployment inputs: CloudFormation parameters or Terraform variables.</summary>
internal sealed record DeploymentInputs(string Vpc, string Subnets, string PeerVpc, string PeerRegion, string? OwnRegion)
{
    public static DeploymentInputs CloudFormation { get; } = new("VpcId", "SubnetIds", "PeerVpcId", "PeerVpcRegion", "AWS::Region");

    public static DeploymentInputs Terraform { get; } = new(
        "datadog_privatelink_vpc_id", "datadog_privatelink_subnet_ids", "datadog_privatelink_peer_vpc_id", "datadog_privatelink_peer_vpc_region", null);
}

/// <summary>The proofs every PrivateLink output must pass, on what was parsed back from it.</summary>
internal static partial class PrivateLinkAssert
{
    private static readonly Lazy<PrefixSet> EveryDatadogPrefix = new(() => TestData.IpRangesDocuments
        .SelectMany(path => IpRangesDocument.Load(path).SectionList)
        .Aggregate(PrefixSet.Empty, (all, section) => all.Union(section.Prefixes)));

    /// <summary>
    /// The security groups allow exactly the plan's rules, 443/tcp only; the endpoints are the catalog's services for
    /// the site, set up for the mode; for a peered VPC each private DNS name has a zone on both VPCs with an alias to its endpoint.
    /// </summary>
    public static void Matches(PrivateLinkOutput output, PrivateLinkPlan plan, DeploymentInputs inputs)
    {
        AwsAssert.AllowsExactly(output.Groups, plan.EndpointVpcRules);
        Assert.That(output.Groups.Rules.Select(r => (r.Protocol, r.FromPort, r.ToPort)).Distinct(), Is.EqualTo(new[] { ("tcp", 443, 443) }), "443/tcp only");

        string site = plan.Site.Name.ToLowerInvariant();
        bool preferTable = plan.PreferredSource == DocumentationSource.EndpointTable;
        Dictionary<string, string[]> expected = plan.Endpoints
            .Select(e => PrivateLinkData.Expected(site, PrivateLinkCatalog.GetKey(e.Service!.Value), preferTable))
            .GroupBy(e => e.ServiceName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.PrivateDnsName).Distinct().ToArray());
        Assert.That(output.Endpoints.Select(e => e.ServiceName), Is.EquivalentTo(expected.Keys), "one endpoint per documented endpoint service");

        string[] endpointGroups = output.Groups.Rules.Where(r => r.Direction == Direction.Ingress).Select(r => r.Group).Distinct().ToArray();
        bool peered = plan.Mode == PrivateLinkMode.PeeredVpc;
        foreach (EndpointResource endpoint in output.Endpoints)
        {
            Assert.That(endpoint.PrivateDns, Is.EqualTo(!peered), $"{endpoint.Id}: private DNS on unless the names come from hosted zones");
            Assert.That(endpoint.ServiceRegion, Is.EqualTo(plan.Mode == PrivateLinkMode.CrossRegion ? plan.Region : null), endpoint.Id);
            Assert.That((endpoint.Vpc, endpoint.Subnets), Is.EqualTo((inputs.Vpc, inputs.Subnets)), endpoint.Id);
            Assert.That(endpoint.SecurityGroups, Is.EquivalentTo(endpointGroups), $"{endpoint.Id} is guarded by the groups that accept the agents");
        }

        if (!peered)
        {
            Assert.That(output.Zones, Is.Empty);
            Assert.That(output.Records, Is.Empty);
            return;
        }

        Assert.That(output.Zones.Select(z => z.Name), Is.EquivalentTo(expected.Values.SelectMany(names => names)), "one private hosted zone per private DNS name");
        foreach (ZoneResource zone in output.Zones)
        {
            Assert.That(zone.Vpcs, Is.EqualTo(new[] { (inputs.Vpc, inputs.OwnRegion), (inputs.PeerVpc, (string?)inputs.PeerRegion) }), $"{zone.Name} is on both VPCs");
            AliasRecord record = output.Records.Single(r => r.Zone == zone.Id);
            EndpointResource target = output.Endpoints.Single(e => e.Id == record.Endpoint);
            Assert.That((record.Name, record.Type), Is.EqualTo((zone.Name, "A")));
            Assert.That(expected[target.ServiceName], Does.Contain(zone.Name), $"{zone.Name} aliases the endpoint of its own service");
        }

        Assert.That(output.Records, Has.Count.EqualTo(output.Zones.Count));
    }

    /// <summary>
    /// Every CIDR anywhere in the text, comments included, is one the user gave, none overlaps any prefix of any real
    /// Datadog document, and the agents' networks are there.
    /// </summary>
    public static void HasNoPublicDatadogPrefix(string text, PrivateLinkPlan plan)
    {
        PrefixSet found = PrefixSet.Create(CidrToken().Matches(text)
            .Select(m => IPNetwork.TryParse(m.Value, out IPNetwork cidr) ? cidr : throw new FormatException($"not a CIDR: {m.Value}")));

        Assert.That(found.IsSubsetOf(plan.AgentNetworks.Union(plan.EndpointSubnets)), Is.True, $"only the given networks appear: {found}");
        Assert.That(found.Intersect(EveryDatadogPrefix.Value), Is.Empty, "no public Datadog prefix");
        Assert.That(plan.AgentNetworks.IsSubsetOf(found), Is.True, "the agents' networks are allowed");
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z:.])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})/\d{1,3}\b")]
    private static partial Regex CidrToken();
}
