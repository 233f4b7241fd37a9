using System.Net.Sockets;
using System.Text;
using FirewallRules.Advice;

namespace FirewallRules.Sync;

/// <summary>
/// Which sync owns a target (a table, or the sets and chains of a name) in this network namespace: a record under
/// <c>/run/fwrules/owners</c> (cleared at boot, as the kernel's rules are) holding the state directory of the sync that
/// last applied it. A second sync with another <c>--state</c> on the same target would replace the first's rules on every
/// run, each undoing the other; it is refused with a line naming both. A record whose state directory is gone is stale.
/// The namespace is told by its cookie, which no other namespace gets before a reboot; its inode (the fallback on kernels
/// before 5.14) is given again to a namespace created after one is deleted, whose sync would find a record not its own.
/// A record also holds the namespace's inode when it was written, so that records of namespaces that are gone can be
/// removed (<see cref="SyncOwnerRecords"/>): each run that writes or holds a record clears the stale ones.
/// </summary>
internal sealed class SyncOwner(string target, string stateDirectory)
{
    /// <summary>Where the records live; <c>/run/fwrules/owners</c>.</summary>
    public static string RecordDirectory { get; } = Path.Combine("/run", "fwrules", "owners");

    /// <summary>This target's record in this network namespace; null when the namespace cannot be told (not Linux).</summary>
    public string? RecordPath { get; } = NetworkNamespace() is { } ns ? Path.Combine(RecordDirectory, $"{ns}-{FileName(target)}") : null;

    /// <summary>What the record of this sync holds: its state directory, then the namespace's inode (when it can be read).</summary>
    private string Content => Inode() is { } inode ? $"{State}\n{SyncOwnerRecords.InodeLine}{inode[3..]}\n" : State + "\n";

    private string State { get; } = Path.GetFullPath(stateDirectory);

    /// <summary>Refuses when another sync, with its own state directory that still exists, owns the target.</summary>
    /// <exception cref="FirewallSyncException">Another sync owns it.</exception>
    public void Check()
    {
        string? other = Read();
        if (other is not null && other != State && Directory.Exists(other))
        {
            throw new FirewallSyncException(new SettingAdvice(
                $"{SyncAdvice.Literal(target)} {TargetWording.Is(target)} owned by another fwrules sync, with {{0}} {SyncAdvice.Literal(other)} " +
                $"(recorded in {SyncAdvice.Literal(RecordPath ?? string.Empty)}): two syncs on one target replace each other's rules on every run; " +
                "use that {0}, or give this sync another {1} (or {2}); the firewall was left as it was", SyncAdvice.State, SyncAdvice.Name, SyncAdvice.Table));
        }
    }

    /// <summary>
    /// Records this sync as the owner, then removes the records of namespaces that are gone (<see cref="SyncOwnerRecords.RemoveStale"/>),
    /// both under <c>/run/fwrules/owners.lock</c>; a record that cannot be written (not root, no /run) is skipped.
    /// </summary>
    public async Task ClaimAsync(CancellationToken cancellationToken)
    {
        if (RecordPath is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(RecordDirectory);
            // Held while a record is written and while stale ones are removed, so that a removal never takes a record written
            // meanwhile; waited for on the system's clock, whatever the run's.
            using IO.FileLock? held = await IO.FileLock.TryAcquireAsync(SyncOwnerRecords.LockPath, TimeSpan.FromSeconds(10), TimeProvider.System, cancellationToken)
                .ConfigureAwait(false);
            if (ReadAll() != Content)
            {
                IO.AtomicFile.Write(RecordPath, stream => stream.Write(Encoding.UTF8.GetBytes(Content)));
            }

            if (held is not null)
            {
                SyncOwnerRecords.RemoveStale(RecordPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without a record a second owner goes unnoticed, as before; the rules are applied all the same.
        }
    }

    /// <summary>The state directory the record names (its first line); null when there is none.</summary>
    private string? Read() => ReadAll() is { } content ? SyncOwnerRecords.StateOf(content) : null;

    private string? ReadAll()
    {
        try
        {
            return RecordPath is not null && File.Exists(RecordPath) ? File.ReadAllText(RecordPath) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private const int SolSocket = 1, SoNetnsCookie = 71;

    private static string? NetworkNamespace() => Cookie() is ulong cookie ? $"netcookie{cookie}" : Inode();

    /// <summary>The namespace's cookie (<c>SO_NETNS_COOKIE</c> on any socket, Linux 5.14); null before.</summary>
    private static ulong? Cookie()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            byte[] value = new byte[sizeof(ulong)];
            return socket.GetRawSocketOption(SolSocket, SoNetnsCookie, value) == value.Length ? BitConverter.ToUInt64(value) : null;
        }
        catch (Exception ex) when (ex is SocketException or PlatformNotSupportedException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The namespace's inode as <c>net4026531840</c>; null when it cannot be read.</summary>
    internal static string? Inode()
    {
        try
        {
            // "net:[4026531840]": the namespace's inode, the same for every process in it.
            return new FileInfo("/proc/self/ns/net").LinkTarget is string link && link.StartsWith("net:[", StringComparison.Ordinal)
                ? "net" + link[5..^1]
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static string FileName(string target)
    {
        var name = new StringBuilder(target.Length);
        foreach (char c in target)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return name.ToString();
    }
}
