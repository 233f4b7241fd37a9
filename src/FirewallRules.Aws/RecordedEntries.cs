using System.Net;
using Amazon.EC2;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>
/// What the lists held when their grace record was written, read back from AWS's own history of each list's versions: a runner killed
/// between its change of the lists and its record leaves the lists holding entries the record's seal of entries no longer covers, and
/// another runner, whose cache never held the document that published some of them, must still keep those the record was written with
/// (prefixes in their keep period) while it removes what was added since (by hand, or by the runner killed, which puts its own back).
/// </summary>
/// <remarks>
/// The versions come from the record (<c>fwrules:held</c>) and what they held must hash to its seal (<see cref="GraceRecordSeal.Vouches"/>),
/// so a version edited in the tag reads back entries that do not match, and nothing is taken from it. AWS keeps the past versions: a
/// version it no longer serves gives nothing, and the entries are vetted as before.
/// </remarks>
internal static class RecordedEntries
{
    /// <summary><paramref name="lists"/> with each family's record holder given <see cref="OwnedPrefixList.Recorded"/>, where it can be read back.</summary>
    public static async Task<IReadOnlyList<OwnedPrefixList>> ReadAsync(IAmazonEC2 ec2, IReadOnlyList<OwnedPrefixList> lists, CancellationToken cancellationToken)
    {
        List<OwnedPrefixList> read = [.. lists];
        foreach (IGrouping<AddressFamilies, OwnedPrefixList> family in lists.GroupBy(l => l.Family))
        {
            OwnedPrefixList first = PrefixListVouch.RecordHolder(family);
            PrefixSet now = PrefixSet.Create(family.Where(l => PrefixListVouch.Named(first, l)).SelectMany(l => l.Entries));
            if (GraceRecordSeal.Vouches(first.Tags, now) || GraceRecordSeal.HeldAt(first.Tags) is not { } versions)
            {
                continue;
            }

            var entries = new List<IPNetwork>();
            foreach ((string id, long version) in versions)
            {
                if (family.FirstOrDefault(l => l.Id == id) is not { } list || await AtAsync(ec2, list, version, cancellationToken).ConfigureAwait(false) is not { } held)
                {
                    entries = null;
                    break;
                }

                entries.AddRange(held);
            }

            if (entries is not null && GraceRecordSeal.Vouches(first.Tags, PrefixSet.Create(entries)))
            {
                read[read.IndexOf(first)] = first with { Recorded = PrefixSet.Create(entries) };
            }
        }

        return read;
    }

    // What a list held at a version: its entries as read when that is its version now, else AWS's record of it; null when AWS has none.
    private static async Task<IReadOnlyList<IPNetwork>?> AtAsync(IAmazonEC2 ec2, OwnedPrefixList list, long version, CancellationToken cancellationToken)
    {
        if (list.Version == version)
        {
            return list.Entries;
        }

        try
        {
            return await PrefixListReader.EntriesAsync(ec2, list.Id, version, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsSyncException)
        {
            return null;
        }
    }
}
