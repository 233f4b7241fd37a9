using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>terraform</c>: HCL for the <c>hashicorp/aws</c> provider: <c>aws_security_group</c> resources, and one
/// <c>aws_vpc_security_group_egress_rule</c> or <c>_ingress_rule</c> per (port, CIDR) through <c>for_each</c>, or
/// per prefix list reference with <c>aws_ec2_managed_prefix_list</c> resources.
/// </summary>
/// <remarks>
/// <para>Terraform removes the allow-all outbound rule AWS adds to every new group, so an egress group allows
/// exactly its rules (ingress groups then allow no outbound connections of their own; replies to allowed inbound
/// traffic still flow, as security groups are stateful). Groups carry no inline rules, as the provider requires
/// when separate rule resources are used.</para>
/// <para>The module requires the hashicorp/aws provider 4.56 or later (<c>required_providers</c>), the first with
/// those rule resources, and takes one variable, <c>{name}_vpc_id</c>, which must look like a VPC id
/// (<c>vpc-</c> and 8 or 17 hexadecimal digits). Strings are escaped for HCL templates.</para>
/// </remarks>
public sealed class TerraformEmitter : IRuleEmitter
{
    private readonly AwsSecurityGroupOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="AwsSecurityGroupOptions"/> defaults when null.</param>
    public TerraformEmitter(AwsSecurityGroupOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => HclWriter.TerraformFormat;

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "Terraform: security groups, one aws_vpc_security_group_*_rule per CIDR (or prefix lists)";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules cannot be rendered (see the plan's limits).</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        AwsPlan plan = AwsPlan.Create(rules, _options, TerraformSecurityGroups.MaxListEntries);
        string vpcVariable = TerraformSecurityGroups.VpcVariable(_options);
        if (_options.Comments)
        {
            var header = new List<string> { "Datadog IP ranges as AWS security groups, for Terraform (fwrules format terraform)." };
            header.AddRange(plan.Rules.Describe());
            header.Add($"Needs the hashicorp/aws provider {TerraformSecurityGroups.ProviderVersion} or later; set var.{vpcVariable}.");
            header.Add("Terraform removes AWS's default allow-all outbound rule from these groups: they allow only the rules below.");
            header.AddRange(plan.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        HclWriter.WriteRequiredProviders(output, TerraformSecurityGroups.ProviderVersion);
        output.Write('\n');
        TerraformSecurityGroups.WriteVpcVariable(output, vpcVariable, "The VPC to create the Datadog security groups in.");
        new TerraformSecurityGroups(_options).WriteResources(output, plan, vpcVariable);
    }
}
