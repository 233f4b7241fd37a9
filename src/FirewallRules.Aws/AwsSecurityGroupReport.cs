namespace FirewallRules.Aws;

/// <summary>What one security-group sync did, or in a dry run would do.</summary>
/// <param name="Groups">Every group kept, in the order given (or found).</param>
public sealed record AwsSecurityGroupReport(IReadOnlyList<AwsSecurityGroupChange> Groups)
{
    /// <summary>True when no group changes.</summary>
    public bool UpToDate => Groups.All(g => g.Added.Count == 0 && g.Removed.Count == 0);

    /// <summary>How many times the groups were read: more than 1 when another run changed one between read and write.</summary>
    public int Attempts { get; init; } = 1;
}

/// <summary>What a sync did, or would do, to one security group.</summary>
/// <param name="GroupId">The group.</param>
/// <param name="VpcId">Its VPC; null when AWS gave none.</param>
/// <param name="Added">The rules authorized (before any is revoked, as far as the quota allows).</param>
/// <param name="Removed">The rules owned by the sync that are revoked.</param>
/// <param name="Owned">The rules owned by the sync afterwards.</param>
/// <param name="Foreign">The rules someone else added: never revoked.</param>
/// <param name="DefaultEgressOpen">
/// The group still holds AWS's default allow-all egress rule and the sync keeps egress allow-rules in it, which restrict
/// nothing until that rule is revoked (false when the sync keeps only ingress rules there).
/// </param>
public sealed record AwsSecurityGroupChange(
    string GroupId, string? VpcId, IReadOnlyList<AwsSecurityGroupRule> Added, IReadOnlyList<AwsSecurityGroupRule> Removed, int Owned, int Foreign, bool DefaultEgressOpen);
