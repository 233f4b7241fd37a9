namespace FirewallRules.Sync;

/// <summary>
/// Removes the owner records (<see cref="SyncOwner"/>) of network namespaces that are gone, which would otherwise pile up
/// under <c>/run/fwrules/owners</c> until a reboot (a container or a test namespace each leaves one).
/// </summary>
/// <remarks>
/// <para>A namespace lives as long as something refers to it: a process or thread in it, an open handle, a bind mount
/// (<c>ip netns add</c>). Every one of them is read from <c>/proc</c>, which shows them all only in the host's PID
/// namespace and to root: anywhere else (a container, not root) no namespace is taken to be gone.</para>
/// <para>A record is removed only when its namespace is gone: named by inode (<c>net4026532001-...</c>) when that inode
/// is no live namespace's, named by cookie when the inode it holds is no live namespace's (a namespace keeps its inode
/// while it lives, so a gone inode is a gone namespace; a live one may be a reused inode, and the record stays).
/// A record written before records held the inode is removed when its state directory is gone, as it no longer
/// refuses anything. A live run's record is never removed: the run is a process in its namespace. The records are
/// listed before the namespaces are read, and the removal holds <see cref="LockPath"/>, which every write of a record
/// takes: a record written meanwhile, for a namespace created meanwhile (perhaps with a reused inode), stays.</para>
/// </remarks>
internal static class SyncOwnerRecords
{
    /// <summary>The lock a record's write and a removal of stale records take.</summary>
    public static string LockPath { get; } = Path.Combine("/run", "fwrules", "owners.lock");

    /// <summary>How a record's second line starts: the namespace's inode follows.</summary>
    public const string InodeLine = "netns-inode ";

    // The inode the kernel gives the host's PID namespace (PROC_PID_INIT_INO): only there does /proc show every process.
    private const string HostPidNamespace = "pid:[4026531836]";

    /// <summary>The state directory a record's content names (its first line, trimmed); null for an empty record.</summary>
    public static string? StateOf(string content)
    {
        string first = content.Split('\n', 2)[0].Trim();
        return first.Length == 0 ? null : first;
    }

    /// <summary>Removes the stale records beside <paramref name="ownRecord"/> (never that one); a record that cannot be read or removed stays.</summary>
    /// <returns>How many were removed.</returns>
    public static int RemoveStale(string ownRecord)
    {
        string ownPrefix = Path.GetFileName(ownRecord).Split('-', 2)[0] + "-";
        // Listed first: a record is judged by the namespaces that live after it was written.
        List<(string Path, string Name, string Content)> records = [.. List(ownRecord).Where(r => !r.Name.StartsWith(ownPrefix, StringComparison.Ordinal))];
        if (records.Count == 0)
        {
            return 0;
        }

        HashSet<string>? live = LiveNamespaces();
        int removed = 0;
        foreach ((string path, string name, string content) in records)
        {
            if (IsStale(name, content, live) && Delete(path))
            {
                removed++;
            }
        }

        return removed;
    }

    private static bool IsStale(string name, string content, HashSet<string>? live)
    {
        string ns = name.Split('-', 2)[0];
        string? inode = ns.StartsWith("netcookie", StringComparison.Ordinal)
            ? content.Split('\n').FirstOrDefault(line => line.StartsWith(InodeLine, StringComparison.Ordinal))?[InodeLine.Length..].Trim()
            : ns.StartsWith("net", StringComparison.Ordinal) ? ns[3..] : null;
        if (inode is null || !ulong.TryParse(inode, out _))
        {
            // Written before records held the inode: stale once it no longer refuses anything.
            return ns.StartsWith("netcookie", StringComparison.Ordinal) && StateOf(content) is string state && !Directory.Exists(state);
        }

        return live is not null && !live.Contains(inode);
    }

    private static IEnumerable<(string Path, string Name, string Content)> List(string ownRecord)
    {
        string? directory = Path.GetDirectoryName(ownRecord);
        if (directory is null || !Directory.Exists(directory))
        {
            yield break;
        }

        foreach (string path in Directory.EnumerateFiles(directory))
        {
            string? content = Path.GetFileName(path).StartsWith("net", StringComparison.Ordinal) ? ReadOrNull(path) : null;
            // Not a temporary file of a write under way (".name.fwrules-...tmp"), nor anything else but a record.
            if (path != ownRecord && Path.GetFileName(path).StartsWith("net", StringComparison.Ordinal) && content is not null)
            {
                yield return (path, Path.GetFileName(path), content);
            }
        }
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool Delete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The inodes of every network namespace something refers to (a thread, an open handle, a bind mount in any mount
    /// namespace); null when they cannot all be seen (not the host's PID namespace, not root, no /proc).
    /// </summary>
    internal static HashSet<string>? LiveNamespaces()
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        var mountNamespaces = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (!OperatingSystem.IsLinux() || Link("/proc/self/ns/pid") != HostPidNamespace)
            {
                return null;
            }

            foreach (string process in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                AddProcess(process, live, mountNamespaces);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return live.Count == 0 ? null : live;
    }

    // A process that exits meanwhile is skipped (its namespace, if it lives on, is held by something else that is read);
    // one that cannot be read (not root) makes the whole answer unknown.
    private static void AddProcess(string process, HashSet<string> live, HashSet<string> mountNamespaces)
    {
        try
        {
            foreach (string task in Directory.EnumerateDirectories(Path.Combine(process, "task")))
            {
                AddNet(Link(Path.Combine(task, "ns", "net")), live);
            }

            foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
            {
                AddNet(Link(fd), live);
            }

            // A bind mount (ip netns add) in this process's mount namespace, read once per mount namespace:
            // "... net:[4026532001] /run/netns/x ... - nsfs nsfs rw".
            if (Link(Path.Combine(process, "ns", "mnt")) is string mnt && !mountNamespaces.Contains(mnt))
            {
                foreach (string line in File.ReadLines(Path.Combine(process, "mountinfo")))
                {
                    string[] fields = line.Split(' ', 5);
                    if (fields.Length == 5 && line.Contains(" - nsfs ", StringComparison.Ordinal))
                    {
                        AddNet(fields[3], live);
                    }
                }

                mountNamespaces.Add(mnt);
            }
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException || (ex is IOException && !Directory.Exists(process)))
        {
            // Exited meanwhile.
        }
    }

    private static void AddNet(string? link, HashSet<string> live)
    {
        if (link is not null && link.StartsWith("net:[", StringComparison.Ordinal) && link.EndsWith(']'))
        {
            live.Add(link[5..^1]);
        }
    }

    private static string? Link(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
        {
            return null;
        }
    }
}
