namespace FirewallRules.Emitters;

/// <summary>The emitters this library ships, in one list so the registry and the docs agree.</summary>
internal static class BuiltIn
{
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .With("windows", new WindowsFirewallEmitter().Description, options => new WindowsFirewallEmitter(WindowsFirewallOptions.From(options)))
        .With("windows-netsh", new NetshEmitter().Description, options => new NetshEmitter(NetshOptions.From(options)))
        .With("aws-sg", new AwsCliEmitter().Description, options => new AwsCliEmitter(AwsSecurityGroupOptions.From(options)))
        .With("aws-cloudformation", new CloudFormationEmitter().Description, options => new CloudFormationEmitter(AwsSecurityGroupOptions.From(options)))
        .With("terraform", new TerraformEmitter().Description, options => new TerraformEmitter(AwsSecurityGroupOptions.From(options)))
        .With("azure-nsg", new AzureCliEmitter().Description, options => new AzureCliEmitter(AzureNsgOptions.From(options)))
        .With("azure-arm", new AzureArmEmitter().Description, options => new AzureArmEmitter(AzureNsgOptions.From(options)))
        .With("bicep", new BicepEmitter().Description, options => new BicepEmitter(AzureNsgOptions.From(options)));
}
