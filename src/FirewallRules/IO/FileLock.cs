using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FirewallRules.IO;

/// <summary>
/// An exclusive advisory lock on a file (<c>flock</c> on Linux), held until disposed. The kernel drops it when the
/// process dies, however it dies, so a crashed run never leaves a lock behind.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private const int Exclusive = 2; // LOCK_EX
    private const int NoWait = 4; // LOCK_NB
    private const int WouldBlock = 11; // EWOULDBLOCK
    private const int Interrupted = 4; // EINTR

    private readonly IDisposable _file;

    private FileLock(IDisposable file) => _file = file;

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
            if ((OperatingSystem.IsLinux() ? TryLockLinux(path) : TryLockPortable(path)) is FileLock taken)
            {
                return taken;
            }

            if (timeProvider.GetTimestamp() >= deadline)
            {
                return null;
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// The lock file is never followed through a link (a dangling <c>sync.lock</c> link would create its target) and must
    /// be a regular file (a FIFO is refused, not opened for a wait that never ends); a new one is created with <c>O_EXCL</c>.
    /// The lock is the same <c>flock</c> .NET takes for <see cref="FileShare.None"/>.
    /// </summary>
    private static FileLock? TryLockLinux(string path)
    {
        int flags = UnixOpen.ReadWrite | UnixOpen.NonBlocking | UnixOpen.NoFollow;
        SafeFileHandle handle;
        try
        {
            handle = UnixOpen.Open(path, flags | UnixOpen.Create | UnixOpen.Exclusive, 0b110_000_000);
        }
        catch (IOException ex) when (ex.HResult == 17)
        {
            handle = UnixOpen.Open(path, flags, 0);
        }

        try
        {
            UnixFileKind kind = UnixFileStatus.Of(handle).Kind;
            if (kind != UnixFileKind.Regular)
            {
                throw new InputFileException(path, $"is {InputFile.Describe(kind)}, not a regular file: remove it");
            }

            if (Lock(handle))
            {
                return new FileLock(handle);
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        handle.Dispose();
        return null;
    }

    private static bool Lock(SafeFileHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            while (true)
            {
                if (flock((int)handle.DangerousGetHandle(), Exclusive | NoWait) == 0)
                {
                    return true;
                }

                int error = Marshal.GetLastPInvokeError();
                if (error != Interrupted)
                {
                    return error == WouldBlock ? false : throw new IOException($"cannot lock: {Marshal.GetPInvokeErrorMessage(error)}");
                }
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static FileLock? TryLockPortable(string path)
    {
        try
        {
            // FileShare.None is an exclusive lock; another holder makes the open fail at once.
            return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);
}
