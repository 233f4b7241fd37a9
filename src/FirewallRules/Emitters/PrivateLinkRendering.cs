using System.Globalization;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Gcp;
using FirewallRules.PrivateLink;
using FirewallRules.Rules;

// Same namespace as PrivateLinkPlan: one using gives users the plan and its renderings.
namespace FirewallRules;

/// <summary>
/// Renders a <see cref="PrivateLinkPlan"/> with its interface endpoints (and, for a peered VPC, Route 53 private hosted
/// zones) as CloudFormation or Terraform. For the security group rules alone, render <see cref="PrivateLinkPlan.Rules"/>
/// (or its parts) with any AWS emitter, e.g. <c>plan.Rules.ToAwsSecurityGroup()</c>.
/// An <see cref="AzurePrivateLinkPlan"/> renders as Terraform, an ARM template or Bicep, a
/// <see cref="PrivateServiceConnectPlan"/> as Terraform or a gcloud script.
/// </summary>
public static class PrivateLinkRendering
{
    /// <summary>The name prefix PrivateLink outputs use unless the options give another.</summary>
    public const string DefaultName = "datadog-privatelink";

    /// <summary>
    /// A CloudFormation template: the security groups of <see cref="PrivateLinkPlan.EndpointVpcRules"/>, one
    /// <c>AWS::EC2::VPCEndpoint</c> per endpoint service, and for a peered VPC one <c>AWS::Route53::HostedZone</c> with an
    /// alias <c>AWS::Route53::RecordSet</c> per private DNS name. Parameters: <c>VpcId</c>, <c>SubnetIds</c>, and for a
    /// peered VPC <c>PeerVpcId</c> and <c>PeerVpcRegion</c>.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Names, comments and quota; <see cref="AwsSecurityGroupOptions"/> named <see cref="DefaultName"/> when null.</param>
    /// <exception cref="RuleGenerationException">
    /// Datadog's documentation sources disagree on a selected endpoint and the plan prefers no source, or the groups
    /// would exceed AWS's or CloudFormation's limits.
    /// </exception>
    public static string ToCloudFormation(this PrivateLinkPlan plan, AwsSecurityGroupOptions? options = null) =>
        Render(plan, new PrivateLinkCloudFormationWriter(options ?? Default));

    /// <summary>
    /// Terraform for the <c>hashicorp/aws</c> provider: the same resources as <see cref="ToCloudFormation"/>, with
    /// variables <c>{name}_vpc_id</c>, <c>{name}_subnet_ids</c>, and for a peered VPC <c>{name}_peer_vpc_id</c> and
    /// <c>{name}_peer_vpc_region</c>.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Names, comments and quota; <see cref="AwsSecurityGroupOptions"/> named <see cref="DefaultName"/> when null.</param>
    /// <exception cref="RuleGenerationException">
    /// Datadog's documentation sources disagree on a selected endpoint and the plan prefers no source, or the groups
    /// would exceed AWS's limits.
    /// </exception>
    public static string ToTerraform(this PrivateLinkPlan plan, AwsSecurityGroupOptions? options = null) =>
        Render(plan, new PrivateLinkTerraformWriter(options ?? Default));

    /// <summary>
    /// Terraform for the <c>hashicorp/azurerm</c> provider: the private endpoints (manual connections Datadog approves),
    /// the private DNS zones linked to your virtual network with their A records, and the endpoints' network security
    /// group accepting 443/tcp from the agents' networks only.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Names, comments and priorities; <see cref="AzureNsgOptions"/> named <see cref="DefaultName"/> when null.</param>
    /// <exception cref="RuleGenerationException">The zones' records are where Datadog's guides differ and the plan chose none, or the NSG limits.</exception>
    public static string ToTerraform(this AzurePrivateLinkPlan plan, AzureNsgOptions? options = null) =>
        Render(plan, new AzurePrivateLinkTerraformWriter(options ?? AzureDefault));

    /// <summary>
    /// An ARM template of the same resources as <see cref="ToTerraform(AzurePrivateLinkPlan, AzureNsgOptions?)"/>:
    /// <c>Microsoft.Network/privateEndpoints</c>, <c>privateDnsZones</c> with their <c>virtualNetworkLinks</c> and
    /// <c>A</c> records, and the <c>networkSecurityGroups</c>, with parameters <c>location</c>, <c>subnetId</c>,
    /// <c>virtualNetworkId</c>, <c>requestMessage</c> and <c>networkSecurityGroupName</c>.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Names, comments and priorities; <see cref="AzureNsgOptions"/> named <see cref="DefaultName"/> when null.</param>
    /// <exception cref="RuleGenerationException">The zones' records are where Datadog's guides differ and the plan chose none, or the NSG limits.</exception>
    public static string ToAzureArm(this AzurePrivateLinkPlan plan, AzureNsgOptions? options = null) =>
        Render(plan, new AzurePrivateLinkTemplateWriter(options ?? AzureDefault, bicep: false));

    /// <summary>The same resources and parameters as <see cref="ToAzureArm(AzurePrivateLinkPlan, AzureNsgOptions?)"/>, as a Bicep file.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Names, comments and priorities; <see cref="AzureNsgOptions"/> named <see cref="DefaultName"/> when null.</param>
    /// <exception cref="RuleGenerationException">The zones' records are where Datadog's guides differ and the plan chose none, or the NSG limits.</exception>
    public static string ToBicep(this AzurePrivateLinkPlan plan, AzureNsgOptions? options = null) =>
        Render(plan, new AzurePrivateLinkTemplateWriter(options ?? AzureDefault, bicep: true));

    /// <summary>
    /// Terraform for the <c>hashicorp/google</c> provider: per service attachment an internal address and a forwarding
    /// rule in Datadog's region, the private Cloud DNS zones and records, and the agents' firewall rules to the endpoints'
    /// subnets.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Names, network, targets and priorities; <see cref="GcpFirewallOptions"/> named <see cref="DefaultName"/> when null.</param>
    /// <exception cref="RuleGenerationException">The firewall rules would not fit GCP's names or priorities.</exception>
    public static string ToTerraform(this PrivateServiceConnectPlan plan, GcpFirewallOptions? options = null) =>
        Render(plan, new PrivateServiceConnectTerraformWriter(options ?? GcpDefault));

    /// <summary>The same resources as <see cref="ToTerraform(PrivateServiceConnectPlan, GcpFirewallOptions?)"/>, as a bash script of gcloud calls that can run again.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Names, network, targets and priorities; <see cref="GcpFirewallOptions"/> named <see cref="DefaultName"/> when null.</param>
    /// <exception cref="RuleGenerationException">The firewall rules would not fit GCP's names or priorities.</exception>
    public static string ToGcloud(this PrivateServiceConnectPlan plan, GcpFirewallOptions? options = null) =>
        Render(plan, new PrivateServiceConnectGcloudWriter(options ?? GcpDefault));

    private static AwsSecurityGroupOptions Default => new() { Name = DefaultName };

    private static AzureNsgOptions AzureDefault => new() { Name = DefaultName };

    private static GcpFirewallOptions GcpDefault => new() { Name = DefaultName };

    // The render step of private connectivity: the plan's rules prepared once for the writer's format (every refusal
    // before the first character, as for rules), then the writer plans the rest and writes.
    internal static string Render<TPlan>(TPlan plan, IPlanWriter<TPlan> writer)
    {
        ArgumentNullException.ThrowIfNull(plan);
        PreparedRules prepared = PreparedRules.Create(writer.RulesOf(plan), writer.Options, AddressFamilies.Both, writer.Format);
        using var output = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        writer.Write(plan, prepared, output);
        return output.ToString();
    }
}
