namespace FirewallRules.Emitters.Azure;

/// <summary>
/// Options for the Azure network security group formats (<c>azure-nsg</c>, <c>azure-arm</c>, <c>bicep</c>).
/// Rules are named <c>{Name}-egress-tcp-443-ipv4</c> (with <c>-2</c>, <c>-3</c> ... when a list is split) and
/// numbered from <see cref="FirstPriority"/> by <see cref="PriorityStep"/>, separately per direction.
/// </summary>
/// <remarks>
/// An NSG holds at most 1,000 rules and 4,000 source and 4,000 destination addresses or ranges over all its rules;
/// output that would exceed them is refused (set <see cref="EmitterOptions.MaxPrefixesPerRule"/> to summarise).
/// </remarks>
public sealed class AzureNsgOptions : EmitterOptions
{
    private const int MinPriority = 100;
    private const int MaxPriority = 4096;
    private const int MaxAddresses = 4000;
    private readonly int _firstPriority = MinPriority;
    private readonly int _priorityStep = 10;
    private readonly int _denyPriority = MaxPriority;
    private readonly int _maxAddressesPerRule = MaxAddresses;
    private readonly string? _resourceGroup;
    private readonly string? _networkSecurityGroup;

    /// <summary>The priority of the first rule in each direction (lower numbers are evaluated first).</summary>
    /// <value>100.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 100-4096.</exception>
    public int FirstPriority
    {
        get => _firstPriority;
        init => _firstPriority = InRange(value, MinPriority, MaxPriority);
    }

    /// <summary>The gap between consecutive rules' priorities, leaving room for rules of your own.</summary>
    /// <value>10.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1-1000.</exception>
    public int PriorityStep
    {
        get => _priorityStep;
        init => _priorityStep = InRange(value, 1, 1000);
    }

    /// <summary>
    /// Whether to add a rule denying all other outbound traffic to the <c>Internet</c> service tag when there are
    /// egress allow rules. Without it, Azure's default rule <c>AllowInternetOutBound</c> (priority 65001) allows every
    /// destination and an egress allow-list allows everything. Traffic within the virtual network is not affected.
    /// Egress rules that only deny (a blocklist) get no such rule.
    /// </summary>
    /// <value><see langword="true"/>.</value>
    public bool DenyInternetOutbound { get; init; } = true;

    /// <summary>
    /// The priority of the last deny the output adds in a direction: the Internet deny, and before it one deny per
    /// closed port (<see cref="Rules.FirewallRule.ClosesPort"/>) at the priorities just below (4095, 4094, ...). All of
    /// them come after (have higher numbers than) every rule of the set.
    /// </summary>
    /// <value>4096, the last priority, so your own rules keep precedence over them.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 100-4096.</exception>
    public int DenyPriority
    {
        get => _denyPriority;
        init => _denyPriority = InRange(value, MinPriority, MaxPriority);
    }

    /// <summary>At most this many prefixes in one rule; longer lists are split over numbered rules.</summary>
    /// <value>4000, the NSG's own limit for addresses over all its rules.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1-4000.</exception>
    public int MaxAddressesPerRule
    {
        get => _maxAddressesPerRule;
        init => _maxAddressesPerRule = InRange(value, 1, MaxAddresses);
    }

    /// <summary>The resource group of the NSG, for the <c>azure-nsg</c> script.</summary>
    /// <value>
    /// Null: the script reads it at run time from <c>{NAME}_RESOURCE_GROUP</c> (e.g. <c>DATADOG_RESOURCE_GROUP</c>).
    /// Otherwise 1 to 90 ASCII letters, digits and <c>_ ( ) - .</c>, not ending with a period.
    /// </value>
    /// <exception cref="ArgumentException">The name is not a valid resource group name.</exception>
    public string? ResourceGroup
    {
        get => _resourceGroup;
        init => _resourceGroup = value is null || AzureNames.IsValidResourceGroup(value)
            ? value
            : throw new ArgumentException($"'{value}' is not a resource group name: use {AzureNames.ResourceGroupRule}", nameof(value));
    }

    /// <summary>
    /// The NSG's name: the one the <c>azure-nsg</c> script changes (it must exist), and the default of the
    /// <c>networkSecurityGroupName</c> parameter of the <c>azure-arm</c> and <c>bicep</c> templates.
    /// </summary>
    /// <value>
    /// Null: the templates default to <see cref="EmitterOptions.Name"/>, and the script reads the name at run time
    /// from <c>{NAME}_NSG</c> (e.g. <c>DATADOG_NSG</c>). Otherwise 1 to 80 letters, digits and <c>_ . -</c>, starting
    /// with a letter or digit and ending with one or <c>_</c>.
    /// </value>
    /// <exception cref="ArgumentException">The name is not a valid NSG name.</exception>
    public string? NetworkSecurityGroup
    {
        get => _networkSecurityGroup;
        init => _networkSecurityGroup = value is null || AzureNames.IsValidNetworkSecurityGroup(value)
            ? value
            : throw new ArgumentException($"'{value}' is not a network security group name: use {AzureNames.NetworkSecurityGroupRule}", nameof(value));
    }

    /// <summary>Creates options with the defaults.</summary>
    public AzureNsgOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>.</summary>
    public AzureNsgOptions(EmitterOptions shared)
        : base(shared)
    {
    }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static AzureNsgOptions From(EmitterOptions options) => options as AzureNsgOptions ?? new(options);

    private static int InRange(int value, int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, max);
        return value;
    }
}
