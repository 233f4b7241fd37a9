using System.Globalization;
using System.Text.RegularExpressions;

namespace FirewallRules.Sync;

/// <summary>The ip-ranges versions a kernel listing's rule comments name (<c>(ip-ranges v47)</c>), as the emitters write them.</summary>
internal static partial class NetfilterVersions
{
    /// <summary>Each version named, once, in order.</summary>
    public static long[] Named(string listing) =>
        [.. Mention().Matches(listing).Select(found => long.Parse(found.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order()];

    [GeneratedRegex(@"\(ip-ranges v(\d{1,18})\)")]
    private static partial Regex Mention();
}
