namespace FirewallRules.IO;

/// <summary>
/// An exclusive advisory lock on a file (<c>flock</c> on Linux), held until disposed. The kernel drops it when the
/// process dies, however it dies, so a crashed run never leaves a lock behind.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock on <paramref name="path"/> (created if missing), waiting up to <paramref name="wait"/> for another holder to let go.</summary>
    /// <returns>The lock, or null when another process still held it after <paramref name="wait"/>.</returns>
    /// <exception cref="IOException">The file cannot be created or opened (not because it is locked).</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public static async Task<FileLock?> TryAcquireAsync(string path, TimeSpan wait, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        long deadline = timeProvider.GetTimestamp() + (long)(wait.TotalSeconds * timeProvider.TimestampFrequency);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix; another holder makes the open fail at once.
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path))
            {
                // The file is there but another process holds it (the open itself does not fail otherwise with an IOException).
                if (timeProvider.GetTimestamp() >= deadline)
                {
                    return null;
                }

                await Task.Delay(PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
