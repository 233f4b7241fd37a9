using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Emitters.Lists;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Emitters.Windows;
namespace FirewallRules.Emitters;

/// <summary>The emitters this library ships, in one list so the registry and the docs agree.</summary>
internal static class BuiltIn
{
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .With(o => new IptablesEmitter(Rules.AddressFamilies.IPv4, IptablesEmitterOptions.From(o, useIpset: false)))
        .With(o => new IptablesEmitter(Rules.AddressFamilies.IPv6, IptablesEmitterOptions.From(o, useIpset: false)))
        .With(o => new IptablesEmitter(Rules.AddressFamilies.IPv4, IptablesEmitterOptions.From(o, useIpset: true)))
        .With(o => new IptablesEmitter(Rules.AddressFamilies.IPv6, IptablesEmitterOptions.From(o, useIpset: true)))
        .With(o => new IpsetEmitter(IptablesEmitterOptions.From(o, useIpset: true)))
        .With(o => new IptablesScriptEmitter(IptablesEmitterOptions.From(o, useIpset: false)))
        .With(o => new IptablesScriptEmitter(IptablesEmitterOptions.From(o, useIpset: true)))
        .With(o => new NftablesEmitter(NftablesEmitterOptions.From(o, NftablesLayout.OwnTable)))
        .With(o => new NftablesEmitter(NftablesEmitterOptions.From(o, NftablesLayout.StrictOwnTable)))
        .With(o => new NftablesEmitter(NftablesEmitterOptions.From(o, NftablesLayout.ExistingTable)))
        .With(o => new WindowsFirewallEmitter(WindowsFirewallOptions.From(o)))
        .With(o => new NetshEmitter(WindowsFirewallOptions.From(o)))
        .With(o => new AwsCliEmitter(AwsSecurityGroupOptions.From(o)))
        .With(o => new CloudFormationEmitter(AwsSecurityGroupOptions.From(o)))
        .With(o => new TerraformEmitter(AwsSecurityGroupOptions.From(o)))
        .With(o => new AzureCliEmitter(AzureNsgOptions.From(o)))
        .With(o => new AzureArmEmitter(AzureNsgOptions.From(o)))
        .With(o => new BicepEmitter(AzureNsgOptions.From(o)))
        .With(o => new KubernetesNetworkPolicyEmitter(KubernetesPolicyOptions.From(o)))
        .With(o => new CiliumNetworkPolicyEmitter(KubernetesPolicyOptions.From(o)))
        .With(o => new CalicoPolicyEmitter(KubernetesPolicyOptions.From(o)))
        .With(o => new GcloudFirewallEmitter(GcpFirewallOptions.From(o)))
        .With(o => new TerraformGcpEmitter(GcpFirewallOptions.From(o)))
        .With(o => new PrefixListEmitter(o))
        .With(o => new AerleonEmitter(o))
        .With(o => new CapircaEmitter(o));

    // The format name and description come from the emitter itself, so they cannot drift apart.
    private static EmitterRegistry With(this EmitterRegistry registry, Func<EmitterOptions, IRuleEmitter> create)
    {
        IRuleEmitter sample = create(new EmitterOptions());
        return registry.With(sample.Format, sample.Description, create);
    }
}
