using System.Net.Http.Headers;

namespace FirewallRules.Fetching;

/// <summary>
/// The <c>Age</c> header (RFC 9111, 5.1): how long ago, in seconds, the origin last confirmed the representation a cache (a mirror)
/// sends. A value that is not a non-negative integer is ignored, as if absent; one past <see cref="Bound"/> (RFC 9111, 1.2.2: a
/// value too large to represent counts as the largest) counts as the bound; several values count as the oldest.
/// </summary>
internal static class AgeHeader
{
    /// <summary>The largest age taken: ten years. A copy that old is stale to any bound a sync takes.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromDays(3650);

    /// <summary>The response's age; null when it sent none that can be read.</summary>
    public static TimeSpan? Read(HttpResponseHeaders headers) =>
        headers.NonValidated.TryGetValues("Age", out HeaderStringValues values) ? Parse(values) : null;

    /// <summary>The oldest of <paramref name="values"/> (each may list several, comma-separated) that are a delta-seconds; null when none is.</summary>
    public static TimeSpan? Parse(IEnumerable<string> values)
    {
        TimeSpan? oldest = null;
        foreach (string item in values.SelectMany(value => value.Split(',')))
        {
            if (Seconds(item.Trim(' ', '\t')) is { } age && (oldest is null || age > oldest))
            {
                oldest = age;
            }
        }

        return oldest;
    }

    /// <summary>1*DIGIT as seconds, bounded by <see cref="Bound"/>; null for anything else (a sign, a fraction, a space inside, empty).</summary>
    private static TimeSpan? Seconds(string text)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            return null;
        }

        string digits = text.TrimStart('0');
        if (digits.Length > 10)
        {
            return Bound;
        }

        long seconds = digits.Length == 0 ? 0 : long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        return seconds > Bound.TotalSeconds ? Bound : TimeSpan.FromSeconds(seconds);
    }
}
