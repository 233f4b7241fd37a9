using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace FirewallRules.IO;

/// <summary>What Linux's <c>statx</c> says of a file: its kind, links, owner and permissions; links are followed.</summary>
/// <remarks><c>struct statx</c> has one layout on every Linux architecture, which is why it is used rather than <c>stat</c>.</remarks>
internal readonly record struct UnixFileStatus(UnixFileKind Kind, uint Links, uint Owner, uint Group, UnixFileMode Permissions)
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint BasicStats = 0x7ff; // STATX_BASIC_STATS
    private const int NoSuchFile = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR
    private const int NoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH

    /// <summary>The status of <paramref name="path"/>, or null when nothing is there.</summary>
    /// <exception cref="IOException">The file cannot be examined (no permission to search a directory, a link loop).</exception>
    public static UnixFileStatus? Read(string path) => Read(path, followLinks: true);

    /// <summary>
    /// The status of <paramref name="path"/> itself when <paramref name="followLinks"/> is false (a link is <see cref="UnixFileKind.SymbolicLink"/>),
    /// or null when nothing is there.
    /// </summary>
    /// <exception cref="IOException">The file cannot be examined.</exception>
    public static UnixFileStatus? Read(string path, bool followLinks)
    {
        byte[] buffer = new byte[256];
        if (statx(CurrentDirectory, NullTerminated(path), followLinks ? 0 : NoFollow, BasicStats, buffer) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error is NoSuchFile or NotADirectory
                ? null
                : throw new IOException($"cannot examine {path}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        return FromBuffer(buffer);
    }

    /// <summary>The status of the file <paramref name="handle"/> has open.</summary>
    /// <exception cref="IOException">The file cannot be examined.</exception>
    public static UnixFileStatus Of(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        byte[] buffer = new byte[256];
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (statx((int)handle.DangerousGetHandle(), [0], EmptyPath, BasicStats, buffer) != 0)
            {
                throw new IOException($"cannot examine an open file: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return FromBuffer(buffer);
    }

    private static UnixFileStatus FromBuffer(byte[] buffer)
    {
        ushort mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28));
        return new UnixFileStatus(
            (UnixFileKind)(mode & 0xF000),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(16)),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24)),
            (UnixFileMode)(mode & 0xFFF));
    }

    /// <summary>Gives <paramref name="path"/> this owner and group.</summary>
    /// <exception cref="IOException">They cannot be set (only root may give a file away).</exception>
    public static void SetOwner(string path, uint owner, uint group)
    {
        if (chown(NullTerminated(path), owner, group) != 0)
        {
            throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }
    }

    private static byte[] NullTerminated(string path) => Encoding.UTF8.GetBytes(path + "\0");

    // Little-endian reads: every architecture .NET runs Linux on is little-endian.
    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directory, byte[] path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern int chown(byte[] path, uint owner, uint group);
}
