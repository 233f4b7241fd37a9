namespace FirewallRules.Emitters;

/// <summary>
/// What <c>fwrules sync</c> needs to keep a file a server reads (a web server's include, an ACL file) in step, declared by the
/// format beside its other abilities: where the file usually goes, the server's own configuration test and its reload.
/// </summary>
/// <param name="Output">Where the format's header says the file goes, for help and examples.</param>
/// <param name="Check">The server's configuration test, run through <c>/bin/sh -c</c> with the new file in place.</param>
/// <param name="Reload">How the server is told to read it again, run through <c>/bin/sh -c</c> once the test passed.</param>
internal sealed record ServerFile(string Output, string Check, string Reload);
