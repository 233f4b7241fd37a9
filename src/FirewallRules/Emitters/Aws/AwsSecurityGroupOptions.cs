namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Options for the AWS security group formats (<c>aws-sg</c>, <c>aws-cloudformation</c>, <c>terraform</c>).
/// Groups are named <c>{Name}-egress-1</c>, <c>{Name}-egress-2</c>, ... and <c>{Name}-ingress-1</c>, ...
/// </summary>
/// <remarks>
/// Every (protocol, port) and CIDR pair is one security group rule. When a direction needs more rules than
/// <see cref="RulesPerGroup"/> allows, the rules are spread over numbered groups, to be attached together
/// (at most 16 per network interface; 5 by default). Alternatively, <see cref="EmitterOptions.MaxPrefixesPerRule"/>
/// summarises the lists so that fewer rules are needed, at the cost of allowing extra addresses.
/// </remarks>
public sealed class AwsSecurityGroupOptions : EmitterOptions
{
    private const int MaxRulesPerGroup = 1000;
    private readonly int _rulesPerGroup = 60;

    /// <summary>
    /// The rules one security group may hold per direction and address family: AWS's "inbound or outbound
    /// rules per security group" quota, counted separately for IPv4 and IPv6.
    /// </summary>
    /// <value>60, AWS's default. Raise it only after AWS has raised the quota for your account (at most 1000).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above 1000.</exception>
    public int RulesPerGroup
    {
        get => _rulesPerGroup;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxRulesPerGroup);
            _rulesPerGroup = value;
        }
    }

    /// <summary>
    /// Whether to put the prefixes in customer-managed prefix lists (one address family each) referenced by
    /// the rules, instead of one rule per CIDR. CloudFormation and Terraform only; the <c>aws-sg</c> script refuses it.
    /// </summary>
    /// <value>
    /// <see langword="false"/>. Mind that a rule referencing a list counts as the list's maximum entries against
    /// <see cref="RulesPerGroup"/>, so lists are cut to at most that many entries (and at most 100 in a
    /// CloudFormation template, 1000 otherwise): with the default quota this saves nothing, with a raised quota
    /// it lets one rule carry a long list.
    /// </value>
    public bool UsePrefixLists { get; init; }

    /// <summary>
    /// Whether the <c>aws-sg</c> script revokes the allow-all outbound rules (<c>0.0.0.0/0</c> and <c>::/0</c>, all
    /// protocols) that AWS gives every new VPC security group, from the egress groups, and from the ingress groups too when the
    /// rules allow egress (the hosts hold both, and groups add up). Without it an egress allow-list allows everything.
    /// </summary>
    /// <value><see langword="true"/>. CloudFormation and Terraform replace that default rule themselves.</value>
    public bool RevokeDefaultEgress { get; init; } = true;

    /// <summary>Creates options with the defaults.</summary>
    public AwsSecurityGroupOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>.</summary>
    public AwsSecurityGroupOptions(EmitterOptions shared)
        : base(shared)
    {
    }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static AwsSecurityGroupOptions From(EmitterOptions options) => options as AwsSecurityGroupOptions ?? new(options);
}
