namespace FirewallRules.Sync;

/// <summary>What one apply put in the kernel.</summary>
internal sealed class AppliedRules
{
    /// <summary>The target and options it was rendered with (<see cref="SyncSettings.Fingerprint"/>): rules of another shape are not comparable.</summary>
    public string Settings { get; set; } = string.Empty;

    /// <summary>Per section, the prefixes allowed: those published, and those kept after Datadog stopped publishing them.</summary>
    public Dictionary<string, List<string>> Sections { get; set; } = [];

    /// <summary>SHA-256 of the kernel's stateless listing of the rules' objects right after the apply.</summary>
    public string Kernel { get; set; } = string.Empty;

    /// <summary>The ip-ranges version applied.</summary>
    public long Version { get; set; }

    /// <summary>Its <c>modified</c> text.</summary>
    public string Modified { get; set; } = string.Empty;

    /// <summary>When it was applied.</summary>
    public DateTimeOffset At { get; set; }
}
