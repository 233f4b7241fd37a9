namespace FirewallRules.Aws;

/// <summary>What <see cref="AwsSecurityGroupSync"/> keeps in step and how.</summary>
public sealed record AwsSecurityGroupSyncOptions
{
    /// <summary>The <c>fwrules sync</c> format that keeps security groups: the name of the <c>aws-sg</c> script, which fills the same groups.</summary>
    internal const string Format = "aws-sg";

    /// <summary>AWS's default "inbound or outbound rules per security group" quota, counted per address family.</summary>
    public const int AwsDefaultRulesPerGroup = 60;

    /// <summary>
    /// The owner name: every rule the sync adds carries <c>fwrules:NAME</c> at the start of its description (and the tags
    /// <c>fwrules:managed-by=fwrules</c>, <c>fwrules:name=NAME</c>). Only rules carrying it are ever revoked.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>
    /// The groups to keep (<c>sg-</c> ids). Empty: the groups holding a rule referencing one of the given prefix lists, or carrying
    /// a whole seal of <see cref="Name"/> (the tag <c>fwrules:rules:NAME</c> that <c>fwrules sync --cidr-rules</c> writes, matching the
    /// rules the name owns in the group). A rule's description alone never brings its group in: anyone allowed to edit it could.
    /// </summary>
    public IReadOnlyList<string> GroupIds { get; init; } = [];

    /// <summary>With no <see cref="GroupIds"/>: the groups the runner's own state names as kept by its last run, kept too.</summary>
    internal IReadOnlyCollection<string> KnownGroups { get; init; } = [];

    /// <summary>Where a warning goes (a group holding owned rules that nothing vouches for); null to drop them.</summary>
    internal Action<string>? Warn { get; init; }

    /// <summary>
    /// The rules one group may hold per direction and address family (AWS's quota; a rule referencing a prefix list counts
    /// as the list's <c>MaxEntries</c>). A group that would hold more is refused before any change. Default: 60.
    /// </summary>
    public int RulesPerGroup { get; init; } = AwsDefaultRulesPerGroup;

    /// <summary>Only work out the plan: nothing is authorized or revoked.</summary>
    public bool DryRun { get; init; }
}
