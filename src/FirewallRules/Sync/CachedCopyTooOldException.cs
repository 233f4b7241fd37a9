using FirewallRules.Advice;

namespace FirewallRules.Sync;

/// <summary>
/// The newest document could not be used (the fetch failed, it was refused, or no request was allowed) and the cache's
/// newest document is older than the bound a sync accepts, or its age is unknown: nothing was loaded, the firewall was left
/// as it was. The message names the bound and, offline, the setting that made no request (<see cref="SyncAdvice"/>).
/// </summary>
internal sealed class CachedCopyTooOldException(SettingAdvice message, Exception? cause) : Exception(message?.ToString(), cause), IAdvisedFailure
{
    /// <summary>Whether the network failed first, or no request was allowed (else the document was refused or could not be stored).</summary>
    public bool FetchFailed => InnerException is null or Fetching.IpRangesFetchException;

    /// <summary>The whole message with the settings it names.</summary>
    public SettingAdvice Advice { get; } = message ?? throw new ArgumentNullException(nameof(message));

    SettingAdvice? IAdvisedFailure.Advice => Advice;

    /// <inheritdoc/>
    public string FormatMessage(Func<string, string> nameSetting) => Advice.Format(nameSetting);
}
