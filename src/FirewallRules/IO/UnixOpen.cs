using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace FirewallRules.IO;

/// <summary><c>open(2)</c> with the flags .NET does not expose (<c>O_NONBLOCK</c>, <c>O_NOFOLLOW</c>, <c>O_EXCL</c> with them), on Linux.</summary>
internal static class UnixOpen
{
    public const int ReadOnly = 0;
    public const int ReadWrite = 2;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int NoSuchFile = 2; // ENOENT
    private const int Exists = 17; // EEXIST
    private const int Loop = 40; // ELOOP: the last component is a link under O_NOFOLLOW
    private const int AccessDenied = 13; // EACCES
    private const int NotPermitted = 1; // EPERM

    /// <summary><c>O_NOFOLLOW</c>: 0x8000 on Arm, 0x20000 elsewhere.</summary>
    public static int NoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 ? 0x8000 : 0x20000;

    /// <summary>Opens <paramref name="path"/>; close-on-exec always.</summary>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    /// <exception cref="InputFileException">It is a link and <see cref="NoFollow"/> was given.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    /// <exception cref="IOException">Another failure (its HResult is the errno for EEXIST).</exception>
    public static SafeFileHandle Open(string path, int flags, int mode)
    {
        int fd = open(Encoding.UTF8.GetBytes(path + "\0"), flags | CloseOnExec, mode);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        int error = Marshal.GetLastPInvokeError();
        string message = $"{TerminalText.EscapeWhole(path)}: {Marshal.GetPInvokeErrorMessage(error)}";
        throw error switch
        {
            NoSuchFile => new FileNotFoundException($"cannot open {message}", path),
            Loop when (flags & NoFollow) != 0 => new InputFileException(path, "is a symbolic link, which is refused here"),
            AccessDenied or NotPermitted => new UnauthorizedAccessException($"cannot open {message}"),
            Exists => new IOException($"cannot create {message}", Exists),
            _ => new IOException($"cannot open {message}"),
        };
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags, int mode);
}
