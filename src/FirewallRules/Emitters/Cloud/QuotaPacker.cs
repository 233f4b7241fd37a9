namespace FirewallRules.Emitters.Cloud;

/// <summary>Fills containers (security groups) in order with weighted items (rules) up to a quota each.</summary>
internal static class QuotaPacker
{
    /// <summary>
    /// The items split, in order, into bins whose weights sum to at most <paramref name="capacity"/>; a new bin
    /// starts when the next item does not fit. Order is kept so that output stays stable as lists grow.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An item weighs more than <paramref name="capacity"/>.</exception>
    public static List<List<T>> Pack<T>(IEnumerable<T> items, Func<T, int> weight, int capacity)
    {
        var bins = new List<List<T>>();
        int used = 0;
        foreach (T item in items)
        {
            int w = weight(item);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(w, capacity, nameof(weight));
            if (bins.Count == 0 || used + w > capacity)
            {
                bins.Add([]);
                used = 0;
            }

            bins[^1].Add(item);
            used += w;
        }

        return bins;
    }
}
