namespace FirewallRules.Sync;

/// <summary>What a sync did to the firewall.</summary>
internal enum SyncOutcome
{
    /// <summary>The kernel already held the rules: nothing was touched.</summary>
    UpToDate,

    /// <summary>The rules were checked and applied.</summary>
    Applied,

    /// <summary>A dry run that would have applied the changes listed.</summary>
    WouldApply,
}
