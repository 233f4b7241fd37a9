using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>What a sync did, or would do, to one customer-managed prefix list.</summary>
/// <param name="Name">The list's name.</param>
/// <param name="Id">The list's id; null for a list not created yet (a dry run).</param>
/// <param name="Family">The list's address family.</param>
/// <param name="Action">Whether the list is created, changed, deleted or left as it was.</param>
/// <param name="Added">The entries added.</param>
/// <param name="Removed">The entries removed.</param>
/// <param name="Entries">How many entries it holds afterwards.</param>
/// <param name="MaxEntries">Its <c>MaxEntries</c> afterwards: what each rule referencing it costs against the security-group quota.</param>
public sealed record AwsPrefixListChange(
    string Name, string? Id, AddressFamilies Family, AwsListAction Action, IReadOnlyList<IPNetwork> Added, IReadOnlyList<IPNetwork> Removed, int Entries, int MaxEntries)
{
    /// <summary>The list's version as read (in a plan), or as this run's change left it (in a change made); 0 for a list not created yet.</summary>
    internal long Version { get; init; }

    /// <summary>Its <c>MaxEntries</c> when read; 0 for a list not created yet.</summary>
    internal int MaxEntriesRead { get; init; }

    /// <summary>This change followed by <paramref name="later"/> (a later attempt of the same run), as one.</summary>
    internal AwsPrefixListChange Then(AwsPrefixListChange later) => later with
    {
        Id = later.Id ?? Id,
        Action = later.Action == AwsListAction.Unchanged || (Action == AwsListAction.Created && later.Action == AwsListAction.Modified) ? Action : later.Action,
        Added = [.. Added.Except(later.Removed).Union(later.Added)],
        Removed = [.. Removed.Except(later.Added).Union(later.Removed)],
    };
}

/// <summary>What happens to a prefix list.</summary>
public enum AwsListAction
{
    /// <summary>It already holds what it should.</summary>
    Unchanged,

    /// <summary>It is created.</summary>
    Created,

    /// <summary>Its entries or its size change.</summary>
    Modified,

    /// <summary>It is no longer needed and is deleted.</summary>
    Deleted,
}
