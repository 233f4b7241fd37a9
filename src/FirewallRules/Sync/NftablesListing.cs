using FirewallRules.Cidr;

namespace FirewallRules.Sync;

/// <summary>Reads what a set holds from the kernel's listing of a table (<c>nft -s list table</c>).</summary>
internal static class NftablesListing
{
    /// <summary>
    /// The elements of set <paramref name="set"/>, empty when it has none; null when the listing has no such set or lists an
    /// element that is not a prefix or an address (a range <c>a-b</c>, which only an <c>auto-merge</c> set made elsewhere holds).
    /// </summary>
    public static PrefixSet? SetElements(string listing, string set)
    {
        string opening = $"set {set} {{";
        int start = listing.IndexOf(opening, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        int body = start + opening.Length;
        int close = listing.IndexOf('}', body);
        int elements = listing.IndexOf("elements = {", body, StringComparison.Ordinal);
        if (close < 0 || elements < 0 || elements > close)
        {
            return PrefixSet.Empty;
        }

        int from = elements + "elements = {".Length;
        int end = listing.IndexOf('}', from);
        if (end < 0)
        {
            return null;
        }

        try
        {
            return PrefixSet.Parse(string.Join('\n', listing[from..end].Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        }
        catch (PrefixFormatException)
        {
            return null;
        }
    }
}
