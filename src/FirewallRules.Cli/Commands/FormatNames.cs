using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Gcp;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The formats the verbs treat apart, named as their emitters name them (compare what users type case-insensitively):
/// <c>fwrules privatelink</c> renders a whole plan in them, where a kind's other formats render the plan's rules, and a
/// CloudFormation template too big for a request gets a note on how to deploy it. <c>terraform</c> is the AWS emitter's
/// name, which the Azure and Google Cloud plans use for their providers.
/// </summary>
internal static class FormatNames
{
    /// <summary>Terraform: the AWS security groups, and every kind of private connectivity plan.</summary>
    public static string Terraform { get; } = NameOf(new TerraformEmitter());

    /// <summary>CloudFormation: an AWS PrivateLink plan.</summary>
    public static string CloudFormation { get; } = NameOf(new CloudFormationEmitter());

    /// <summary>An ARM template: an Azure Private Link plan.</summary>
    public static string AzureArm { get; } = NameOf(new AzureArmEmitter());

    /// <summary>Bicep: an Azure Private Link plan.</summary>
    public static string Bicep { get; } = NameOf(new BicepEmitter());

    /// <summary>The gcloud script: a Private Service Connect plan.</summary>
    public static string Gcloud { get; } = NameOf(new GcloudFirewallEmitter());

    private static string NameOf(IRuleEmitter emitter) => emitter.Format;
}
