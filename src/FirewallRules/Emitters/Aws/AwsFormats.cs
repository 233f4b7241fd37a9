using FirewallRules.Advice;

namespace FirewallRules.Emitters.Aws;

/// <summary>The AWS security group formats as the registry describes them: their settings, and the deploy note a large CloudFormation template owes.</summary>
internal static class AwsFormats
{
    private static readonly AwsSecurityGroupOptions Defaults = new();

    private static FormatSetting RulesPerGroup { get; } = FormatSetting.Number(
        SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.RulesPerGroup)), 1, 1000,
        "AWS: rules per security group, direction and family, AWS's quota (default 60). Raise it only after AWS has raised yours.");

    private static FormatSetting PrefixLists { get; } = FormatSetting.Switch(
        SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.UsePrefixLists)),
        "AWS CloudFormation and Terraform: put the prefixes in managed prefix lists that the rules reference.");

    private static FormatSetting KeepDefaultEgress { get; } = FormatSetting.Switch(
        SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.RevokeDefaultEgress), false),
        "aws-sg: leave the allow-all egress rules AWS gives a new group (then an egress allow-list allows everything).");

    /// <summary>Adds <c>aws-sg</c>, <c>aws-cloudformation</c> and <c>terraform</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new AwsCliEmitter(AwsSecurityGroupOptions.From(o)), Describe)
        .WithBuiltIn(o => new CloudFormationEmitter(AwsSecurityGroupOptions.From(o)), format => Describe(format) with
        {
            MediaType = "application/json",
            Note = CloudFormationJson.DeployNote,
        })
        .WithBuiltIn(o => new TerraformEmitter(AwsSecurityGroupOptions.From(o)), Describe);

    private static FormatDescription Describe(FormatDescription format) => format with
    {
        Settings = [RulesPerGroup, PrefixLists, KeepDefaultEgress],
        Configure = (shared, given) => new AwsSecurityGroupOptions(shared)
        {
            RulesPerGroup = given.Number(RulesPerGroup) ?? Defaults.RulesPerGroup,
            UsePrefixLists = given.Switch(PrefixLists) || Defaults.UsePrefixLists,
            RevokeDefaultEgress = Defaults.RevokeDefaultEgress && !given.Switch(KeepDefaultEgress),
        },
    };
}
