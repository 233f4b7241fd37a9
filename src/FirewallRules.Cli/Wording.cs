using System.Globalization;
using System.Text;
using FirewallRules.Rules;
using FirewallRules.Sync;

namespace FirewallRules.Cli;

/// <summary>How the tool's summary lines spell counts and dates for people.</summary>
internal static class Wording
{
    /// <summary><c>1 rule</c>, <c>2 rules</c>.</summary>
    public static string Count(long count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");

    /// <summary>
    /// Appends a listing of records (kept prefixes), each line after <paramref name="indent"/>, bounded whatever its size: the
    /// first <see cref="SyncReport.ListedAtMost"/> lines, then one that counts the rest (<c>... and 140 more</c>).
    /// </summary>
    public static void AppendListing(StringBuilder text, IReadOnlyCollection<string> lines, string indent)
    {
        int listed = lines.Count > SyncReport.ListedAtMost + 1 ? SyncReport.ListedAtMost : lines.Count;
        foreach (string line in lines.Take(listed))
        {
            text.Append(indent).Append(line).Append('\n');
        }

        if (listed < lines.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"{indent}... and {lines.Count - listed} more\n");
        }
    }

    /// <summary>
    /// Prefixes of both families in one phrase, <c>1 IPv4 and 0 IPv6 prefixes</c>: two counts share the noun, so it
    /// takes the plural whatever they are (and a family with none still says so).
    /// </summary>
    public static string FamilyCounts(long ipv4, long ipv6) =>
        string.Create(CultureInfo.InvariantCulture, $"{ipv4} IPv4 and {ipv6} IPv6 prefixes");

    /// <summary>
    /// An address count: exact up to a billion, beyond that as a power of two (<c>2^96</c>) or its nearest with one
    /// decimal (<c>about 2^70.3</c>), since IPv6 counts run to 39 digits.
    /// </summary>
    public static string Addresses(UInt128 count)
    {
        if (count <= 1_000_000_000)
        {
            return count.ToString(CultureInfo.InvariantCulture);
        }

        int log = 127 - (int)UInt128.LeadingZeroCount(count);
        if (UInt128.IsPow2(count))
        {
            return string.Create(CultureInfo.InvariantCulture, $"2^{log}");
        }

        double exponent = Math.Log2((double)count);
        return string.Create(CultureInfo.InvariantCulture, $"about 2^{exponent:0.0}");
    }

    /// <summary>
    /// A document as every summary names it, its date in ISO 8601 (<c>ip-ranges version 47 (2022-01-25T20:00:00Z)</c>,
    /// whichever form Datadog wrote it in); a stamp that is no date is not shown (<c>(no date)</c>), as generate says it.
    /// </summary>
    public static string Document(IpRangesDocument document) =>
        string.Create(CultureInfo.InvariantCulture, $"ip-ranges version {document.Version} ({Date(document.ModifiedStamp)})");

    /// <summary>A document's <c>modified</c> text as ISO 8601 in UTC, or the text as it is when it is not a date.</summary>
    public static string Date(string? modified) =>
        (modified is null ? null : RuleSetProvenance.IsoDate(modified)) ?? modified ?? "no date";
}
