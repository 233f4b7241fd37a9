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
        T[] all = [.. items];
        return [.. Runs(all.Length, i => weight(all[i]), capacity).Select(run => all[run].ToList())];
    }

    /// <summary>
    /// The same bins as <see cref="Pack"/> for the items numbered 0 to <paramref name="count"/> - 1, as runs of their
    /// numbers, for items that are not objects (the prefixes of a set, weighed by their text).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An item weighs more than <paramref name="capacity"/>.</exception>
    public static List<Range> Runs(int count, Func<int, int> weight, int capacity)
    {
        var runs = new List<Range>();
        int start = 0;
        int used = 0;
        for (int i = 0; i < count; i++)
        {
            int w = weight(i);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(w, capacity, nameof(weight));
            if (i > 0 && used + w > capacity)
            {
                runs.Add(start..i);
                start = i;
                used = 0;
            }

            used += w;
        }

        if (count > 0)
        {
            runs.Add(start..count);
        }

        return runs;
    }
}
