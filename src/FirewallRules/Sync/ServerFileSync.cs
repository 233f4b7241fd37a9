namespace FirewallRules.Sync;

/// <summary>
/// A sync of a file a server reads (a web server's include, an HAProxy ACL file): where it goes, the commands that test it and
/// reload the server (null for the format's own, <see cref="Emitters.ServerFile"/>), and the format's settings given.
/// </summary>
/// <param name="Output">The file to keep in step.</param>
/// <param name="Check">The server's configuration test, run with <c>/bin/sh -c</c>; null for the format's.</param>
/// <param name="Reload">How the server reads the file again, run with <c>/bin/sh -c</c>; null for the format's.</param>
/// <param name="Given">The values given for the format's settings (trusted proxies, ...).</param>
/// <param name="GivenKey">Those values as text, for the fingerprint: a change of setting rewrites the file.</param>
internal sealed record ServerFileSync(string Output, string? Check, string? Reload, Emitters.SettingValues Given, string GivenKey);
