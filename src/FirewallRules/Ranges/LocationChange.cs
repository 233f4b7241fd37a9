namespace FirewallRules.Ranges;

/// <summary>How the prefixes of one location of a section (for example <c>synthetics</c>' <c>aws:eu-west-1</c>) changed, both address families together.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class LocationChange
{
    internal LocationChange(string location, bool isAdded, bool isRemoved, PrefixSet added, PrefixSet removed)
    {
        Location = location;
        IsAdded = isAdded;
        IsRemoved = isRemoved;
        Added = added;
        Removed = removed;
    }

    /// <summary>The location's key as in the document, e.g. <c>aws:eu-west-1</c>.</summary>
    public string Location { get; }

    /// <summary>Whether only the newer document lists the location.</summary>
    public bool IsAdded { get; }

    /// <summary>Whether only the older document lists the location.</summary>
    public bool IsRemoved { get; }

    /// <summary>The addresses the location gained, aggregated.</summary>
    public PrefixSet Added { get; }

    /// <summary>The addresses the location lost, aggregated.</summary>
    public PrefixSet Removed { get; }
}
