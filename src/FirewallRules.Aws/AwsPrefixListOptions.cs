namespace FirewallRules.Aws;

/// <summary>What <see cref="AwsPrefixListSync"/> keeps in step and how.</summary>
public sealed record AwsPrefixListOptions
{
    /// <summary>AWS's most entries in one customer-managed prefix list.</summary>
    public const int AwsMaxEntries = 1000;

    /// <summary>
    /// The base of every list's name and the owner tag's value: a family's lists are named <c>NAME-ipv4</c>,
    /// <c>NAME-ipv4-2</c>, ... Only lists tagged with this name are ever changed or deleted.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>The ip-ranges document version the prefixes come from, recorded in a tag; null for none.</summary>
    public long? DocumentVersion { get; init; }

    /// <summary>The most entries one list is given before a family is split over another list (1 to 1000). Default: 1000.</summary>
    public int MaxEntriesPerList { get; init; } = AwsMaxEntries;

    /// <summary>How many times the lists are read and planned when someone else changes one under the run, before giving up. Default: 5.</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>Only work out the plan: nothing is created, modified or deleted.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Lists no longer needed are reported as deleted but left in place, for <see cref="AwsPrefixListSync.DeleteAsync"/> once
    /// the rules referencing them are revoked (AWS refuses to delete a referenced list).
    /// </summary>
    internal bool DeferDeletes { get; init; }

    /// <summary>The format tagged on the lists it creates or changes (<see cref="AwsTags.Format"/>); null for none.</summary>
    internal string? Format { get; init; }

    /// <summary>The first wait between polls of a list's state after a change (doubled up to 2 s). Default: 250 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a list may stay in a <c>*-in-progress</c> state before the run gives up. Default: 5 minutes.</summary>
    public TimeSpan StateTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
