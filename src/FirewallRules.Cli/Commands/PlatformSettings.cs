namespace FirewallRules.Cli.Commands;

/// <summary>The settings of one platform's options that the command line gave; null or false where it gave none.</summary>
internal sealed record PlatformSettings
{
    public int? RulesPerGroup { get; init; }

    public bool PrefixLists { get; init; }

    public bool KeepDefaultEgress { get; init; }

    public int? FirstPriority { get; init; }

    public int? PriorityStep { get; init; }

    public int? DenyPriority { get; init; }

    public bool NoInternetDeny { get; init; }

    public int? MaxAddressesPerRule { get; init; }

    public string? ResourceGroup { get; init; }

    public string? NetworkSecurityGroup { get; init; }

    public string? Table { get; init; }

    public string? EgressHook { get; init; }

    public string? IngressHook { get; init; }
}
