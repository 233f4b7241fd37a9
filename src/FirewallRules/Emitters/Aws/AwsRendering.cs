using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets as AWS security groups (AWS CLI script, CloudFormation and Terraform) and AWS WAF IP sets with their rule group.</summary>
public static class AwsRendering
{
    /// <summary>A bash script of <c>aws ec2 authorize-security-group-*</c> calls (format <c>aws-sg</c>; see <see cref="AwsCliEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Quota and names; <see cref="AwsSecurityGroupOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A rule denies, nothing is left to allow, prefix lists were asked for, or the groups would exceed AWS's limits.</exception>
    public static string ToAwsSecurityGroup(this RuleSet rules, AwsSecurityGroupOptions? options = null) => rules.Render(new AwsCliEmitter(options));

    /// <summary>A CloudFormation template (format <c>aws-cloudformation</c>; see <see cref="CloudFormationEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Quota, prefix lists and names; <see cref="AwsSecurityGroupOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A rule denies, nothing is left to allow, or the groups would exceed AWS's or CloudFormation's limits.</exception>
    public static string ToCloudFormation(this RuleSet rules, AwsSecurityGroupOptions? options = null) => rules.Render(new CloudFormationEmitter(options));

    /// <summary>Terraform configuration for the AWS provider (format <c>terraform</c>; see <see cref="TerraformEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Quota, prefix lists and names; <see cref="AwsSecurityGroupOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A rule denies, nothing is left to allow, or the groups would exceed AWS's limits.</exception>
    public static string ToTerraform(this RuleSet rules, AwsSecurityGroupOptions? options = null) => rules.Render(new TerraformEmitter(options));

    /// <summary>
    /// A CloudFormation template of AWS WAF IP sets of the allowed prefixes and a rule group blocking every other client (format
    /// <c>aws-waf</c>), for the web ACL in front of your endpoint; Datadog's <c>webhooks</c> and <c>synthetics</c> are what calls in.
    /// </summary>
    /// <param name="rules">The rules: every rule's prefixes are admitted, whatever its port and direction.</param>
    /// <param name="options">Name, families and comments; defaults when null.</param>
    /// <exception cref="RuleGenerationException">A deny rule, or a family over WAF's 10,000 addresses per IP set.</exception>
    public static string ToAwsWaf(this RuleSet rules, EmitterOptions? options = null) => rules.Render(new WafCloudFormationEmitter(options ?? new()));

    /// <summary>The same IP sets and rule group for Terraform's hashicorp/aws provider (format <c>terraform-aws-waf</c>).</summary>
    /// <inheritdoc cref="ToAwsWaf"/>
    public static string ToTerraformAwsWaf(this RuleSet rules, EmitterOptions? options = null) => rules.Render(new WafTerraformEmitter(options ?? new()));
}
