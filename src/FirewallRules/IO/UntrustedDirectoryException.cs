using System.Security;

namespace FirewallRules.IO;

/// <summary>
/// A cache or state directory that someone other than root or the running user could write (<see cref="TrustedDirectory"/>):
/// nothing was read from it; the message names the directory and the fix. A <see cref="SecurityException"/>, so that no
/// handler of I/O failures takes it for a full disk or an unreadable file.
/// </summary>
internal sealed class UntrustedDirectoryException(string message) : SecurityException(message);
