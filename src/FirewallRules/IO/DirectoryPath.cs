namespace FirewallRules.IO;

/// <summary>
/// A directory the user names for the tool to keep files in (a cache, a sync state), checked before anything is read,
/// fetched or written there: a name that is empty or only blanks (what an unset variable gives), or a path where
/// something other than a directory stands (a FIFO, a device, a regular file, on the path itself or above it), is said in
/// words instead of failing later as "could not find a part of the path".
/// </summary>
internal static class DirectoryPath
{
    /// <summary>Whether <paramref name="name"/> can name a file or directory at all: not empty, not only blanks.</summary>
    public static bool IsName(string? name) => !string.IsNullOrWhiteSpace(name);

    /// <summary>
    /// What stands in the way of using <paramref name="path"/> as a directory, in words that follow its name
    /// (<c>is a FIFO, not a directory</c>); null when it is one, or when nothing is there yet and it can be made.
    /// </summary>
    public static string? Problem(string path)
    {
        if (!IsName(path))
        {
            return "is not a directory name";
        }

        string full = Path.GetFullPath(path);
        for (string? at = full; at is not null; at = Path.GetDirectoryName(at))
        {
            UnixFileKind? kind = KindOf(at);
            if (kind is null)
            {
                continue;
            }

            string what = $"{InputFile.Describe(kind.Value)}, not a directory";
            return kind == UnixFileKind.Directory ? null
                : at == full ? $"is {what}"
                : $"cannot be made: {TerminalText.EscapeWhole(at)} is {what}";
        }

        return null;
    }

    // Links followed; null when nothing is there, or it cannot be examined (the use that follows says why).
    private static UnixFileKind? KindOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Directory.Exists(path) ? UnixFileKind.Directory : File.Exists(path) ? UnixFileKind.Regular : null;
        }

        try
        {
            return UnixFileStatus.Read(path)?.Kind;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
