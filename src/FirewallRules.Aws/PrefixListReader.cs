using System.Globalization;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>Reads the lists fwrules owns under a name: every list tagged with it, and each list's entries at the version read.</summary>
internal static class PrefixListReader
{
    /// <summary>The lists tagged as owned under <paramref name="name"/>, by family and part.</summary>
    /// <exception cref="AwsSyncException">
    /// A list tagged <c>fwrules:name</c> <paramref name="name"/> has another <c>fwrules:managed-by</c> (edited), or a list fwrules made for the
    /// name had another identity tag changed or removed (<see cref="PrefixListIdentity"/>): one line naming it and the fix.
    /// Taken as another's, it would be left as it is while a second list of its name took its place, and the rules that reference
    /// it would keep its entries for good.
    /// </exception>
    /// <param name="ec2">The account's client.</param>
    /// <param name="name">The sync's name.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    /// <param name="known">The ids of the lists this runner's state last left as the name's, each refused when it no longer reads as the name's.</param>
    public static async Task<IReadOnlyList<OwnedPrefixList>> ReadAsync(IAmazonEC2 ec2, string name, CancellationToken cancellationToken,
        IReadOnlyCollection<string>? known = null)
    {
        var owned = new List<OwnedPrefixList>();
        var every = new List<ManagedPrefixList>();
        string? token = null;
        do
        {
            // Every list is read and the tags checked here: AWS documents no tag filter for this call.
            DescribeManagedPrefixListsResponse page =
                await AwsCall.RunAsync("describe prefix lists", () => ec2.DescribeManagedPrefixListsAsync(new() { NextToken = token }, cancellationToken)).ConfigureAwait(false);
            foreach (ManagedPrefixList list in (page.PrefixLists ?? []).Where(l => !IsDeleted(l)))
            {
                every.Add(list);
                RefuseDisowned(list, name);
                if (IsOwned(list, name))
                {
                    owned.Add(await ReadListAsync(ec2, list, cancellationToken).ConfigureAwait(false));
                }
            }

            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        // A list fwrules made whose fwrules:name or fwrules:part was edited (or its owner tags removed) would be forked, as above.
        PrefixListIdentity.Check(every, owned, name, known ?? []);

        // Two lists of one part (two runs created it at once): both runs keep the same one, the first by id.
        return [.. owned.OrderBy(l => l.Family).ThenBy(l => l.Part).ThenBy(l => l.Id, StringComparer.Ordinal)];
    }

    /// <summary>One list, described again (its state and version after a change).</summary>
    public static async Task<ManagedPrefixList> DescribeAsync(IAmazonEC2 ec2, string id, CancellationToken cancellationToken)
    {
        DescribeManagedPrefixListsResponse response =
            await AwsCall.RunAsync($"describe prefix list {id}",
                () => ec2.DescribeManagedPrefixListsAsync(new() { PrefixListIds = [id] }, cancellationToken)).ConfigureAwait(false);
        return response.PrefixLists?.SingleOrDefault(l => l.PrefixListId == id)
            ?? throw new AwsSyncException($"prefix list {id} is gone (deleted by someone else?)");
    }

    /// <summary>The entries of <paramref name="id"/> at <paramref name="version"/>.</summary>
    public static async Task<List<IPNetwork>> EntriesAsync(IAmazonEC2 ec2, string id, long version, CancellationToken cancellationToken)
    {
        var entries = new List<IPNetwork>();
        string? token = null;
        do
        {
            GetManagedPrefixListEntriesResponse page = await AwsCall.RunAsync($"read the entries of prefix list {id}", () => ec2.GetManagedPrefixListEntriesAsync(
                new() { PrefixListId = id, TargetVersion = version, NextToken = token }, cancellationToken)).ConfigureAwait(false);
            entries.AddRange((page.Entries ?? []).Select(e => IPNetwork.Parse(e.Cidr)));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        return entries;
    }

    private static async Task<OwnedPrefixList> ReadListAsync(IAmazonEC2 ec2, ManagedPrefixList list, CancellationToken cancellationToken)
    {
        long version = list.Version ?? 1;
        AddressFamilies family = Family(list);
        int part = int.TryParse(Tag(list, AwsTags.Part), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 1;
        List<IPNetwork> entries = await EntriesAsync(ec2, list.PrefixListId, version, cancellationToken).ConfigureAwait(false);
        // moto empties a list's name when a modify does not give it again; AWS never leaves a list without one.
        return new OwnedPrefixList(list.PrefixListId, list.PrefixListName ?? string.Empty, family, part, version, list.MaxEntries ?? entries.Count, entries,
            Tag(list, AwsTags.DocumentVersion))
        {
            OwnerId = string.IsNullOrEmpty(list.OwnerId) ? null : list.OwnerId,
            Tags = TagsOf(list),
        };
    }

    // A list of this name whose owner tag someone changed: neither changed nor replaced by a second list of its name. One with no
    // owner tag at all was made by another hand (or had it removed), and is another's.
    private static void RefuseDisowned(ManagedPrefixList list, string name)
    {
        if (Tag(list, AwsTags.Name) != name || Tag(list, AwsTags.ManagedBy) is not { } owner || owner == AwsTags.ManagedByValue)
        {
            return;
        }

        string id = list.PrefixListId;
        throw new AwsSyncException($"prefix list {Shown(list.PrefixListName ?? string.Empty)} ({id}) is tagged {AwsTags.Name}={name} but " +
            $"{AwsTags.ManagedBy}={Shown(owner)}: a sync " +
            $"would leave it as it is and make a second list of its name, and the rules that reference it would keep its entries; if fwrules keeps it, put " +
            $"the tag back (aws ec2 create-tags --resources {id} --tags Key={AwsTags.ManagedBy},Value={AwsTags.ManagedByValue}), otherwise take its " +
            $"{AwsTags.Name} tag off (aws ec2 delete-tags --resources {id} --tags Key={AwsTags.Name}); the account was left as it was");
    }

    // A tag value or list name as a message quotes it: printable ASCII, at most 64 characters.
    public static string Shown(string value) => value.Length <= 64 && value.All(c => c is >= ' ' and <= '~') ? value : "?";

    private static bool IsOwned(ManagedPrefixList list, string name) =>
        Tag(list, AwsTags.ManagedBy) == AwsTags.ManagedByValue && Tag(list, AwsTags.Name) == name;

    private static bool IsDeleted(ManagedPrefixList list) =>
        list.State is { } state && (state == PrefixListState.DeleteComplete || state == PrefixListState.DeleteInProgress);

    private static string? Tag(ManagedPrefixList list, string key) => list.Tags?.FirstOrDefault(t => t.Key == key)?.Value;

    /// <summary>A list's tags by key (the first value of a key given twice).</summary>
    public static Dictionary<string, string> TagsOf(ManagedPrefixList list) =>
        (list.Tags ?? []).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value ?? string.Empty, StringComparer.Ordinal);

    /// <summary>A list's address family, as AWS names it.</summary>
    public static AddressFamilies Family(ManagedPrefixList list) =>
        string.Equals(list.AddressFamily, "IPv6", StringComparison.OrdinalIgnoreCase) ? AddressFamilies.IPv6 : AddressFamilies.IPv4;
}
