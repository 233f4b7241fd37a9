using FirewallRules.IO;

namespace FirewallRules.Sync;

/// <summary>The lock one sync run holds on its state directory (<c>sync.lock</c>), so two runs never interleave.</summary>
internal static class SyncLock
{
    /// <summary>Creates <paramref name="directory"/> if needed (mode 0755) and takes its lock, waiting up to <paramref name="wait"/>.</summary>
    /// <exception cref="FirewallSyncException">Another run still held the lock after <paramref name="wait"/>; nothing was changed.</exception>
    /// <exception cref="UntrustedDirectoryException">The directory may be written by someone other than root or this user; nothing was changed.</exception>
    public static async Task<FileLock> TakeAsync(string directory, TimeSpan wait, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        TrustedDirectory.Create(directory);
        string lockPath = Path.Combine(directory, "sync.lock");
        return await FileLock.TryAcquireAsync(lockPath, wait, timeProvider, cancellationToken).ConfigureAwait(false)
            ?? throw new FirewallSyncException($"another fwrules sync still held {lockPath} after {wait.TotalSeconds:0.###} s; nothing was changed");
    }
}
