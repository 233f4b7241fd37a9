using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>What one list needs: created (<see cref="Existing"/> null), changed, or deleted (nothing left for it).</summary>
/// <param name="Name">The list's name.</param>
/// <param name="Family">Its address family.</param>
/// <param name="Part">Its number within the family.</param>
/// <param name="Existing">The list as read; null when it is to be created.</param>
/// <param name="Add">Entries to add.</param>
/// <param name="Remove">Entries to remove.</param>
/// <param name="MaxEntries">Its size afterwards.</param>
internal sealed record PrefixListPlan(
    string Name, AddressFamilies Family, int Part, OwnedPrefixList? Existing, IReadOnlyList<IPNetwork> Add, IReadOnlyList<IPNetwork> Remove, int MaxEntries)
{
    /// <summary>How many entries it holds afterwards.</summary>
    public int Count => (Existing?.Entries.Count ?? 0) - Remove.Count + Add.Count;

    /// <summary>Nothing is left for it: it is deleted rather than emptied (AWS keeps no empty list of ours).</summary>
    public bool Delete => Count == 0;

    public AwsListAction Action =>
        Existing is null ? AwsListAction.Created
        : Delete ? AwsListAction.Deleted
        : Add.Count + Remove.Count > 0 || MaxEntries != Existing.MaxEntries ? AwsListAction.Modified
        : AwsListAction.Unchanged;

    public AwsPrefixListChange ToChange() =>
        new(Name, Existing?.Id, Family, Action, Add, Remove, Count, Delete ? 0 : MaxEntries) { Version = Existing?.Version ?? 0, MaxEntriesRead = Existing?.MaxEntries ?? 0 };
}
