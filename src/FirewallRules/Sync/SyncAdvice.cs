using FirewallRules.Advice;

namespace FirewallRules.Sync;

/// <summary>
/// Sync's messages that name a setting, as <see cref="SettingAdvice"/> whose sentence is the whole message: the library
/// names its settings (<c>FirewallSync.MaxStale</c>), a tool its own way (fwrules: <c>--max-stale</c>). Text that is not
/// a setting (paths, addresses, versions) goes in through <see cref="Text"/>, so a brace in it is never read as a setting.
/// </summary>
internal static class SyncAdvice
{
    /// <summary>Make no request, load the cache's copy.</summary>
    public static readonly string Offline = SettingNames.Of<FirewallSync>(nameof(FirewallSync.Offline));

    /// <summary>The oldest cached copy a sync loads.</summary>
    public static readonly string MaxStale = SettingNames.Of<FirewallSync>(nameof(FirewallSync.MaxStale));

    /// <summary>How long a prefix stays allowed after Datadog stops publishing it.</summary>
    public static readonly string KeepRemoved = SettingNames.Of<SyncSettings>(nameof(SyncSettings.KeepRemoved));

    /// <summary>The state directory.</summary>
    public static readonly string State = SettingNames.Of<SyncStateFile>(nameof(SyncStateFile.Directory));

    /// <summary>The prefix of every table, chain and set name.</summary>
    public static readonly string Name = SettingNames.Of<SyncSettings>(nameof(SyncSettings.Name));

    /// <summary>The nftables table.</summary>
    public static readonly string Table = SettingNames.Of<SyncSettings>(nameof(SyncSettings.Table));

    /// <summary>The format that loads into a table of its own.</summary>
    public static readonly string OwnTableFormat = SettingNames.Of<SyncSettings>(nameof(SyncSettings.Format), "nftables");

    /// <summary>Text that names no setting, as a sentence to append to.</summary>
    public static SettingAdvice Text(string text) => new(Literal(text));

    /// <summary><paramref name="text"/> as part of a sentence: its braces are text, not settings.</summary>
    public static string Literal(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary><paramref name="advice"/> followed by <paramref name="text"/>, which names no setting.</summary>
    public static SettingAdvice Then(SettingAdvice advice, string text) => new(advice.Sentence + Literal(text), [.. advice.Settings]);

    /// <summary><paramref name="advice"/> without <paramref name="ending"/> where the sentence ends with it.</summary>
    public static SettingAdvice Without(SettingAdvice advice, string ending) =>
        advice.Sentence.EndsWith(ending, StringComparison.Ordinal) ? new(advice.Sentence[..^ending.Length], [.. advice.Settings]) : advice;
}
