using FirewallRules.Advice;

namespace FirewallRules.Sync;

/// <summary>
/// The newest document could not be used (the fetch failed, it was refused, or no request was allowed) and the cache
/// has no copy to load instead: it holds none, or its newest is older than the bound a sync accepts, or of unknown age.
/// Nothing was loaded, the firewall was left as it was. The message names the settings that made no request or set the
/// bound (<see cref="SyncAdvice"/>).
/// </summary>
internal sealed class NoUsableCachedCopyException(SettingAdvice message, Exception? cause) : Exception(message?.ToString(), cause), IAdvisedFailure
{
    /// <summary>Whether the network failed first, or no request was allowed (else the document was refused or could not be stored).</summary>
    public bool FetchFailed => InnerException is null or Fetching.IpRangesFetchException;

    /// <summary>The whole message with the settings it names.</summary>
    public SettingAdvice Advice { get; } = message ?? throw new ArgumentNullException(nameof(message));

    SettingAdvice? IAdvisedFailure.Advice => Advice;

    /// <inheritdoc/>
    public string FormatMessage(Func<string, string> nameSetting) => Advice.Format(nameSetting);
}
