using System.Text;
using Microsoft.Win32.SafeHandles;

namespace FirewallRules.IO;

/// <summary>
/// Reads an input file whole, within bounds: a regular file only (a FIFO, a device, a socket or a directory is refused
/// before a byte is read, so <c>/dev/zero</c> is not read without end and a FIFO with no writer does not hang the run),
/// and no more than a limit (what is read is counted, so <c>/proc/PID/environ</c>, whose size the kernel reports as 0,
/// is bounded too). On Linux the file is opened with <c>O_NONBLOCK</c> and examined through the open descriptor, so what
/// is checked is what is read; <see cref="Open"/> can also refuse a symbolic link (<c>O_NOFOLLOW</c>).
/// </summary>
internal static class InputFile
{
    /// <summary>The largest configuration file read (an agent's datadog.yaml, an environment file, serve's JSON): 4 MiB.</summary>
    public const int ConfigurationLimit = 4 * 1024 * 1024;

    private const int ReadChunk = 64 * 1024;

    /// <summary>Reads <paramref name="path"/> as UTF-8 text (a byte order mark dropped).</summary>
    /// <exception cref="InputFileException">It is not a regular file, is a link when links are refused, or is larger than <paramref name="maxBytes"/>.</exception>
    /// <exception cref="IOException">It cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">It cannot be opened.</exception>
    public static string ReadAllText(string path, int maxBytes = ConfigurationLimit, bool followLinks = true)
    {
        byte[] bytes = ReadAllBytes(path, maxBytes, followLinks);
        ReadOnlySpan<byte> text = bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes;
        return Encoding.UTF8.GetString(text);
    }

    /// <inheritdoc cref="ReadAllText"/>
    public static byte[] ReadAllBytes(string path, int maxBytes = ConfigurationLimit, bool followLinks = true)
    {
        using SafeFileHandle handle = Open(path, followLinks);
        return ReadAll(handle, path, maxBytes);
    }

    /// <summary>
    /// Reads a file of a cache or state directory (<see cref="TrustedDirectory"/>): never through a link, and refused when
    /// another user owns it or group or others may write it, as its directory would be; checked on the open file.
    /// </summary>
    /// <exception cref="UntrustedDirectoryException">The file may be written by someone else.</exception>
    /// <exception cref="InputFileException">It is not a regular file, is a link, or is larger than <paramref name="maxBytes"/>.</exception>
    /// <exception cref="IOException">It cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">It cannot be opened.</exception>
    public static byte[] ReadTrustedBytes(string path, int maxBytes)
    {
        using SafeFileHandle handle = Open(path, followLinks: false);
        TrustedDirectory.CheckFile(handle, path);
        return ReadAll(handle, path, maxBytes);
    }

    private static byte[] ReadAll(SafeFileHandle handle, string path, int maxBytes)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[ReadChunk];
        long offset = 0;
        for (int read; (read = Read(handle, chunk, offset, path)) > 0; offset += read)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new InputFileException(path, $"is larger than the {Size(maxBytes)} a file of this kind may be", tooLarge: true);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // A read that fails once the file is open (EIO from /proc/self/mem, whose first page is not mapped; a disk error) names the file: the
    // runtime's message alone does not.
    private static int Read(SafeFileHandle handle, byte[] chunk, long offset, string path)
    {
        try
        {
            return RandomAccess.Read(handle, chunk, offset);
        }
        catch (IOException ex)
        {
            throw new IOException($"{TerminalText.EscapeWhole(path)}: {ex.Message}", ex);
        }
    }

    /// <summary>Opens <paramref name="path"/> for reading, refusing anything but a regular file (and a link when <paramref name="followLinks"/> is false).</summary>
    /// <exception cref="InputFileException">It is not a regular file, or is a link when links are refused.</exception>
    /// <exception cref="IOException">It cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">It cannot be opened.</exception>
    public static SafeFileHandle Open(string path, bool followLinks = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new InputFileException(path, "is not a file name");
        }

        if (!OperatingSystem.IsLinux())
        {
            return OpenPortable(path, followLinks);
        }

        SafeFileHandle handle = UnixOpen.Open(path, UnixOpen.ReadOnly | UnixOpen.NonBlocking | (followLinks ? 0 : UnixOpen.NoFollow), 0);
        try
        {
            UnixFileKind kind = UnixFileStatus.Of(handle).Kind;
            return kind == UnixFileKind.Regular ? handle : throw new InputFileException(path, $"is {Describe(kind)}, not a regular file");
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>What a file of this kind is called in a message: "a FIFO", "a character device", ...</summary>
    public static string Describe(UnixFileKind kind) => kind switch
    {
        UnixFileKind.Fifo => "a FIFO",
        UnixFileKind.CharacterDevice => "a character device",
        UnixFileKind.BlockDevice => "a block device",
        UnixFileKind.Directory => "a directory",
        UnixFileKind.SymbolicLink => "a symbolic link",
        UnixFileKind.Socket => "a socket",
        UnixFileKind.Regular => "a regular file",
        _ => "a special file",
    };

    private static string Size(int bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";

    private static SafeFileHandle OpenPortable(string path, bool followLinks)
    {
        var info = new FileInfo(path);
        if (info.Exists && !followLinks && info.LinkTarget is not null)
        {
            throw new InputFileException(path, "is a symbolic link, not a regular file");
        }

        return Directory.Exists(path)
            ? throw new InputFileException(path, "is a directory, not a regular file")
            : File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }
}
