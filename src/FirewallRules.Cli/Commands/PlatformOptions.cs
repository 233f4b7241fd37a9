using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Emitters.Windows;
using FirewallRules.Names;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>generate</c>'s options that only some formats read: each belongs to the platform options classes that have the
/// setting, and is refused (exit 2) with a format whose options are of another class.
/// </summary>
internal sealed class PlatformOptions
{
    public Option<int?> RulesPerGroup { get; } = CommonOptions.InRange("--rules-per-group", 1, 1000,
        "AWS: rules per security group, direction and family, AWS's quota (default 60). Raise it only after AWS has raised yours.");

    public Option<bool> PrefixLists { get; } = new("--prefix-lists")
    {
        Description = "AWS CloudFormation and Terraform: put the prefixes in managed prefix lists that the rules reference.",
    };

    public Option<bool> KeepDefaultEgress { get; } = new("--keep-default-egress")
    {
        Description = "aws-sg: leave the allow-all egress rules AWS gives a new group (then an egress allow-list allows everything).",
    };

    public Option<int?> FirstPriority { get; } = CommonOptions.InRange("--first-priority", 100, 4096,
        "Azure: the priority of the first rule in each direction (default 100).");

    public Option<int?> PriorityStep { get; } = CommonOptions.InRange("--priority-step", 1, 1000,
        "Azure: the gap between rules' priorities, room for your own (default 10).");

    public Option<int?> DenyPriority { get; } = CommonOptions.InRange("--deny-priority", 0, GcpMaxPriority,
        "Azure (100-4096, default 4096), gcp-firewall and terraform-gcp (0-65535, default 65534): the priority of the last deny the output adds in a direction, the others just below.");

    public Option<bool> NoInternetDeny { get; } = new("--no-internet-deny")
    {
        Description = "Azure: leave out the deny of all other outbound Internet traffic that an egress allow-list gets (then it allows everything).",
    };

    public Option<int?> MaxAddressesPerRule { get; } = CommonOptions.InRange("--max-addresses-per-rule", 1, 4000,
        "Azure and Windows: at most N prefixes per rule, longer lists split over numbered rules (default 4000 for Azure, 1000 for Windows, their limits).");

    public Option<string?> ResourceGroup { get; } = new Option<string?>("--resource-group")
    {
        Description = "azure-nsg: the NSG's resource group. Default: read at run time from NAME_RESOURCE_GROUP (e.g. DATADOG_RESOURCE_GROUP).",
        HelpName = "GROUP",
    }.Requiring(AzureNames.IsValidResourceGroup, AzureNames.ResourceGroupRule);

    public Option<string?> NetworkSecurityGroup { get; } = new Option<string?>("--nsg")
    {
        Description = "Azure: the NSG's name (azure-nsg: the NSG to change, default NAME_NSG at run time; templates: the parameter's default, default --name).",
        HelpName = "NSG",
    }.Requiring(AzureNames.IsValidNetworkSecurityGroup, AzureNames.NetworkSecurityGroupRule);

    public Option<string?> Table { get; } = new Option<string?>("--table")
    {
        Description = "nftables: the inet table (default: --name, or for nftables-chain your existing table 'filter').",
        HelpName = "TABLE",
    }.Requiring(name => NameRules.IsPlainName(name, NftablesEmitterOptions.MaxTableLength), NameRules.PlainNameRule(NftablesEmitterOptions.MaxTableLength));

    public Option<string?> EgressHook { get; } = new Option<string?>("--egress-hook")
    {
        Description = "iptables: the chain that jumps to the egress chain (default OUTPUT; FORWARD on a gateway).",
        HelpName = "CHAIN",
    }.Requiring(name => NameRules.IsPlainName(name, IptablesEmitterOptions.MaxChainLength), NameRules.PlainNameRule(IptablesEmitterOptions.MaxChainLength));

    public Option<string?> IngressHook { get; } = new Option<string?>("--ingress-hook")
    {
        Description = "iptables: the chain that jumps to the ingress chain (default INPUT; FORWARD on a gateway).",
        HelpName = "CHAIN",
    }.Requiring(name => NameRules.IsPlainName(name, IptablesEmitterOptions.MaxChainLength), NameRules.PlainNameRule(IptablesEmitterOptions.MaxChainLength));

    // Azure's priorities are 100-4096 (AzureNsgOptions checks it too); Google Cloud's 0-65535.
    private const int AzureMinPriority = 100;
    private const int AzureMaxPriority = 4096;
    private const int GcpMaxPriority = 65535;

    public IEnumerable<Option> All =>
    [
        RulesPerGroup, PrefixLists, KeepDefaultEgress, FirstPriority, PriorityStep, DenyPriority, NoInternetDeny, MaxAddressesPerRule,
        ResourceGroup, NetworkSecurityGroup, Table, EgressHook, IngressHook,
    ];

    /// <summary>Which options classes read each option.</summary>
    private IEnumerable<(Option Option, Type[] Readers)> Applicability =>
    [
        (RulesPerGroup, [typeof(AwsSecurityGroupOptions)]),
        (PrefixLists, [typeof(AwsSecurityGroupOptions)]),
        (KeepDefaultEgress, [typeof(AwsSecurityGroupOptions)]),
        (FirstPriority, [typeof(AzureNsgOptions)]),
        (PriorityStep, [typeof(AzureNsgOptions)]),
        (DenyPriority, [typeof(AzureNsgOptions), typeof(GcpFirewallOptions)]),
        (NoInternetDeny, [typeof(AzureNsgOptions)]),
        (MaxAddressesPerRule, [typeof(AzureNsgOptions), typeof(WindowsFirewallOptions)]),
        (ResourceGroup, [typeof(AzureNsgOptions)]),
        (NetworkSecurityGroup, [typeof(AzureNsgOptions)]),
        (Table, [typeof(NftablesEmitterOptions)]),
        (EgressHook, [typeof(IptablesEmitterOptions)]),
        (IngressHook, [typeof(IptablesEmitterOptions)]),
    ];

    /// <summary>Refuses an option that <paramref name="format"/> does not read, naming the formats that do.</summary>
    public void Check(CommandResult result, EmitterRegistry registry, string format)
    {
        Type reader = registry.Create(format).Options.GetType();
        if (reader == typeof(WindowsFirewallOptions) && result.GetResult(MaxAddressesPerRule) is { Tokens: [var token] }
            && int.TryParse(token.Value, out int addresses) && addresses > WindowsFirewallOptions.AddressesPerRuleLimit)
        {
            result.AddError($"{MaxAddressesPerRule.Name}: Windows Firewall rules take at most {WindowsFirewallOptions.AddressesPerRuleLimit} addresses.");
        }

        if (reader == typeof(AzureNsgOptions) && result.GetResult(DenyPriority) is { Tokens: [var deny] }
            && int.TryParse(deny.Value, out int priority) && priority is < AzureMinPriority or > AzureMaxPriority)
        {
            result.AddError($"{DenyPriority.Name} must be between {AzureMinPriority} and {AzureMaxPriority} for Azure.");
        }

        foreach ((Option option, Type[] readers) in Applicability.Where(a => result.IsGiven(a.Option) && !a.Readers.Contains(reader)))
        {
            IEnumerable<string> formats = registry.Formats.Select(f => f.Format).Where(f => readers.Contains(registry.Create(f).Options.GetType()));
            result.AddError($"{option.Name} applies to {string.Join(", ", formats)}, not to {format}.");
        }
    }

    public PlatformSettings Bind(ParseResult parse) => new()
    {
        RulesPerGroup = parse.GetValue(RulesPerGroup),
        PrefixLists = parse.GetValue(PrefixLists),
        KeepDefaultEgress = parse.GetValue(KeepDefaultEgress),
        FirstPriority = parse.GetValue(FirstPriority),
        PriorityStep = parse.GetValue(PriorityStep),
        DenyPriority = parse.GetValue(DenyPriority),
        NoInternetDeny = parse.GetValue(NoInternetDeny),
        MaxAddressesPerRule = parse.GetValue(MaxAddressesPerRule),
        ResourceGroup = parse.GetValue(ResourceGroup),
        NetworkSecurityGroup = parse.GetValue(NetworkSecurityGroup),
        Table = parse.GetValue(Table),
        EgressHook = parse.GetValue(EgressHook),
        IngressHook = parse.GetValue(IngressHook),
    };

    /// <summary>
    /// The options for a format whose own options are <paramref name="defaults"/>: the shared settings, and each platform
    /// setting the command line gave, the rest as that class's defaults.
    /// </summary>
    public static EmitterOptions Create(EmitterOptions defaults, EmitterOptions shared, PlatformSettings given) => defaults switch
    {
        AwsSecurityGroupOptions aws => new AwsSecurityGroupOptions(shared)
        {
            RulesPerGroup = given.RulesPerGroup ?? aws.RulesPerGroup,
            UsePrefixLists = given.PrefixLists || aws.UsePrefixLists,
            RevokeDefaultEgress = aws.RevokeDefaultEgress && !given.KeepDefaultEgress,
        },
        AzureNsgOptions azure => new AzureNsgOptions(shared)
        {
            FirstPriority = given.FirstPriority ?? azure.FirstPriority,
            PriorityStep = given.PriorityStep ?? azure.PriorityStep,
            DenyPriority = given.DenyPriority ?? azure.DenyPriority,
            DenyInternetOutbound = azure.DenyInternetOutbound && !given.NoInternetDeny,
            MaxAddressesPerRule = given.MaxAddressesPerRule ?? azure.MaxAddressesPerRule,
            ResourceGroup = given.ResourceGroup ?? azure.ResourceGroup,
            NetworkSecurityGroup = given.NetworkSecurityGroup ?? azure.NetworkSecurityGroup,
        },
        NftablesEmitterOptions nftables => new NftablesEmitterOptions(shared) { Layout = nftables.Layout, Table = given.Table ?? nftables.Table },
        IptablesEmitterOptions iptables => new IptablesEmitterOptions(shared)
        {
            UseIpset = iptables.UseIpset,
            EgressHook = given.EgressHook ?? iptables.EgressHook,
            IngressHook = given.IngressHook ?? iptables.IngressHook,
        },
        WindowsFirewallOptions windows => new WindowsFirewallOptions(shared) { MaxAddressesPerRule = given.MaxAddressesPerRule ?? windows.MaxAddressesPerRule },
        _ => shared,
    };
}
