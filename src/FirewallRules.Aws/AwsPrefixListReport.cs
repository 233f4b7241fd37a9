namespace FirewallRules.Aws;

/// <summary>What one prefix-list sync did, or in a dry run would do.</summary>
/// <param name="Lists">Every list of the name, by family and number.</param>
/// <param name="Attempts">How many times the lists were read: more than 1 when someone else changed one between read and write.</param>
public sealed record AwsPrefixListReport(IReadOnlyList<AwsPrefixListChange> Lists, int Attempts)
{
    /// <summary>True when no list changes.</summary>
    public bool UpToDate => Lists.All(l => l.Action == AwsListAction.Unchanged);
}
