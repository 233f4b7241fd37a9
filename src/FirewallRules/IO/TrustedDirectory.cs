using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FirewallRules.IO;

/// <summary>
/// A directory whose files decide what a firewall loads (the snapshot store, the sync state): as ssh requires of
/// <c>~/.ssh</c>, it must be owned by root or the user running fwrules, and writable by its owner alone. Anyone else who
/// could write it could plant or edit what is loaded, and so could anyone who may change a directory on its way from <c>/</c>
/// (by putting one of their own in its place). Checked before anything is read from it (links are followed: the directory
/// they lead to is the one checked, and so is the way to it), and so is each file read from it; one fwrules creates gets mode
/// 0755 whatever the umask. Linux only; on other systems nothing is checked.
/// </summary>
internal static class TrustedDirectory
{
    /// <summary>The mode a directory fwrules creates gets: its owner writes, anyone may read (the documents are public).</summary>
    private const UnixFileMode CreatedMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode OthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>How many links a way to a directory may pass, as Linux's own bound on a path (ELOOP).</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// Refuses <paramref name="path"/> when it is owned by another user or writable by group or others, or when a directory on its
    /// way from <c>/</c> (or to where a link there leads) may be changed by another user (<see cref="CheckAncestors"/>); nothing
    /// there passes. A path not there yet is refused on its way alone: it is created below with a safe mode.
    /// </summary>
    /// <exception cref="UntrustedDirectoryException">The directory may be written by someone else; the message names the fix.</exception>
    /// <exception cref="IOException">It cannot be examined.</exception>
    public static void Check(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            CheckDirectory(path, path);
        }
    }

    // A refusal of the way names what is kept under it, the directory or a file in it.
    private static void CheckDirectory(string directory, string kept)
    {
        // Not a directory: reading it fails with its own message.
        if (UnixFileStatus.Read(directory) is { Kind: UnixFileKind.Directory } status)
        {
            Refuse(status, directory);
        }

        CheckAncestors(kept, Path.GetFullPath(directory), 0);
    }

    /// <summary>
    /// Refuses the file <paramref name="handle"/> has open, read from such a directory, on the same rule: a file of the
    /// directory that another user owns, or that group or others may write, could be edited in place, and what it records
    /// (a hash, a grace period) would be believed.
    /// </summary>
    /// <exception cref="UntrustedDirectoryException">The file may be written by someone else; the message names the fix.</exception>
    /// <exception cref="IOException">It cannot be examined.</exception>
    public static void CheckFile(SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsLinux())
        {
            Refuse(UnixFileStatus.Of(handle), path);
        }
    }

    /// <summary>
    /// Refuses a file fwrules writes for a server to read (a web server's include kept by sync) on the same rule: its directory
    /// must pass <see cref="Check"/>, every directory on the way to it (and to where a link on that way leads) must be owned by
    /// root or the user running fwrules and writable by no one else unless it has the sticky bit (<c>/tmp</c>), and the file, when
    /// there, must be a regular file (not a link) that passes it too. A run as root would otherwise follow a link another user
    /// planted (or put in place of the directory, as its parent's owner can) and overwrite the file it leads to, or replace a file
    /// whose owner could then edit what the server loads. A file with other hard links is refused too: replaced by rename, the
    /// other names would keep the old rules.
    /// </summary>
    /// <exception cref="UntrustedDirectoryException">
    /// The file or its directory may be written by someone else, or the file is a link, a special file or has other hard links.
    /// </exception>
    /// <exception cref="IOException">It cannot be examined.</exception>
    public static void CheckOutput(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string full = Path.GetFullPath(path);
        CheckDirectory(Path.GetDirectoryName(full) ?? full, path);
        if (UnixFileStatus.Read(full, followLinks: false) is not { } status)
        {
            return;
        }

        if (status.Kind != UnixFileKind.Regular)
        {
            throw new UntrustedDirectoryException(
                $"refusing {TerminalText.EscapeWhole(path)}: it is {InputFile.Describe(status.Kind)}, not a regular file, and a run would write through it to " +
                    "whatever it leads to; name the file itself");
        }

        if (status.Links > 1)
        {
            throw new UntrustedDirectoryException($"refusing {TerminalText.EscapeWhole(path)}: it has {FileReplacement.HardLinks(status.Links)}");
        }

        Refuse(status, path);
    }

    /// <summary>
    /// Refuses <paramref name="directory"/> when a directory on its way from the root, or on the way to where a link there leads,
    /// may be changed by another user: one that user owns, or that group or others may write without the sticky bit, lets them
    /// put another directory (holding a link to any file) in the place of the one checked, between the check and a write.
    /// </summary>
    private static void CheckAncestors(string path, string directory, int depth)
    {
        if (depth > MaxLinks)
        {
            throw new IOException($"cannot examine {directory}: too many levels of symbolic links");
        }

        var way = new Stack<string>();
        for (string? step = directory; step is not null; step = Path.GetDirectoryName(step))
        {
            way.Push(step);
        }

        foreach (string step in way)
        {
            if (UnixFileStatus.Read(step, followLinks: false) is not { } status)
            {
                return;
            }

            // A link's own mode means nothing; in a sticky directory only an entry's owner (or root) may rename it.
            bool sticky = (status.Permissions & UnixFileMode.StickyBit) != 0 || status.Kind == UnixFileKind.SymbolicLink;
            string? who = status.Owner != 0 && status.Owner != geteuid() ? "is owned by uid " + status.Owner.ToString(CultureInfo.InvariantCulture)
                : !sticky && (status.Permissions & OthersWrite) != 0 ? $"may be written by group or others (mode {Octal(status.Permissions)})"
                : null;
            if (who is not null)
            {
                throw new UntrustedDirectoryException(
                    $"refusing {TerminalText.EscapeWhole(path)}: {TerminalText.EscapeWhole(step)}, on its way, {who}, so another user could put a directory " +
                        "of their own (and in it a link to any file) in the place of the one checked; keep it under directories only root or this user may change");
            }

            if (status.Kind == UnixFileKind.SymbolicLink && new DirectoryInfo(step).ResolveLinkTarget(returnFinalTarget: false) is { } target)
            {
                CheckAncestors(path, target.FullName, depth + 1);
            }
        }
    }

    private static void Refuse(UnixFileStatus status, string path)
    {
        uint user = geteuid();
        string shown = TerminalText.EscapeWhole(path);
        if (status.Owner != 0 && status.Owner != user)
        {
            throw new UntrustedDirectoryException(string.Create(CultureInfo.InvariantCulture,
                $"refusing {shown}: it is owned by uid {status.Owner}, neither root nor the user running fwrules (uid {user}), so its owner could change " +
                    $"the rules loaded; give it to {(user == 0 ? "root" : "this user")} (chown {user} {shown}) or choose another directory"));
        }

        if ((status.Permissions & OthersWrite) != 0)
        {
            string who = (status.Permissions & OthersWrite) == OthersWrite ? "group and others"
                : (status.Permissions & UnixFileMode.GroupWrite) != 0 ? "its group" : "others";
            // A shared directory such as /tmp (the sticky bit) is everyone's by design: taking its write away would break the system.
            string fix = (status.Permissions & UnixFileMode.StickyBit) != 0 ? "it is a directory everyone shares, as /tmp is: choose a directory of its own"
                : $"make it writable by its owner alone (chmod go-w {shown})";
            throw new UntrustedDirectoryException(
                $"refusing {shown}: {who} may write it (mode {Octal(status.Permissions)}), so anyone could change the rules loaded; {fix}");
        }
    }

    /// <summary>Checks <paramref name="path"/>, then creates it and each missing parent with mode 0755 (less the umask) when it is not there.</summary>
    /// <exception cref="UntrustedDirectoryException">The directory may be written by someone else.</exception>
    /// <exception cref="IOException">It cannot be examined or created.</exception>
    public static void Create(string path)
    {
        Check(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        // One by one, from the top: Directory.CreateDirectory gives its mode to the last directory alone, the parents the umask's.
        var missing = new Stack<string>();
        for (string? directory = Path.GetFullPath(path); directory is not null && !Directory.Exists(directory); directory = Path.GetDirectoryName(directory))
        {
            missing.Push(directory);
        }

        foreach (string directory in missing)
        {
            Directory.CreateDirectory(directory, CreatedMode);
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8);

    [DllImport("libc")]
    private static extern uint geteuid();
}
