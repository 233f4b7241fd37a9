using System.Text.Json;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>aws-cloudformation</c>: a CloudFormation template (JSON) of <c>AWS::EC2::SecurityGroup</c> resources
/// with inline rules, one per (port, CIDR), and optionally <c>AWS::EC2::PrefixList</c> resources they reference.
/// </summary>
/// <remarks>
/// <para>Every rule names exactly one destination or source (a CIDR or a prefix list): CloudFormation silently
/// creates nothing for a rule with none. Egress groups list their rules inline, which replaces the allow-all
/// outbound rule AWS adds to a group without any. Ingress groups keep that default when the rules allow no egress; beside
/// egress groups, on the same hosts, they hold one outbound rule to loopback instead, or they would allow all outbound traffic.</para>
/// <para>The template takes one parameter, <c>VpcId</c>, and outputs each group's id. Deploying it again with new
/// ranges replaces the rules.</para>
/// </remarks>
public sealed class CloudFormationEmitter : IRuleEmitter
{
    private readonly AwsSecurityGroupOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="AwsSecurityGroupOptions"/> defaults when null.</param>
    public CloudFormationEmitter(AwsSecurityGroupOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "aws-cloudformation";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "CloudFormation template: security groups (or prefix lists) with the rules; parameter VpcId";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules cannot be rendered (see the plan's limits), or the template would exceed CloudFormation's 500 resources.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        AwsPlan plan = AwsPlan.Create(rules, _options, CloudFormationSecurityGroups.MaxListEntries);
        CloudFormationJson.RequireResources(CloudFormationSecurityGroups.ResourceCount(plan));
        CloudFormationJson.Write(output, (writer, deployNote) => WriteTemplate(writer, plan, deployNote));
    }

    private void WriteTemplate(Utf8JsonWriter writer, AwsPlan plan, string? deployNote)
    {
        CloudFormationJson.WriteHead(writer, _options.Comments, "Datadog IP ranges as AWS security groups.", plan.Rules, plan.Notes, deployNote);
        writer.WriteStartObject("Parameters");
        CloudFormationJson.WriteParameter(writer, "VpcId", "AWS::EC2::VPC::Id", "The VPC to create the security groups in.");
        writer.WriteEndObject();

        writer.WriteStartObject("Resources");
        new CloudFormationSecurityGroups(_options).WriteResources(writer, plan, sameHosts: true);
        writer.WriteEndObject();

        writer.WriteStartObject("Outputs");
        CloudFormationSecurityGroups.WriteOutputs(writer, plan);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
