using System.Security.Cryptography;
using System.Text;
using FirewallRules.Emitters;
using FirewallRules.IO;

namespace FirewallRules.Sync;

/// <summary>
/// Keeps a file a server reads in step (a web server's include, an HAProxy ACL file): the rendered text replaces the file
/// atomically (its mode kept), the server's own configuration test runs with it in place, and the server is reloaded only when
/// the file's directives differ from the last good file's, the one the server last loaded. When the test fails, the last good
/// file (kept in the state directory) is put back, or the file as it was before the run, and the server is not reloaded; so it is
/// when the run is stopped while the test runs. The file must be one only root or the running user can write, in such a directory.
/// What the sync compares (its "kernel") is the file's text.
/// </summary>
/// <param name="format">The output format, e.g. <c>nginx</c>.</param>
/// <param name="options">The format's options (name, families, trusted proxies).</param>
/// <param name="file">The file and the commands: <paramref name="check"/> tests the server's configuration, <paramref name="reload"/> reloads it.</param>
/// <param name="check">The server's configuration test, run with <c>/bin/sh -c</c>.</param>
/// <param name="reload">The server's reload, run with <c>/bin/sh -c</c> once the test passed.</param>
/// <param name="tools">Runs the commands.</param>
/// <param name="stateDirectory">Where the last good file is kept.</param>
internal sealed class ServerFileBackend(string format, EmitterOptions options, string file, string check, string reload, FirewallTools tools, string stateDirectory)
    : IFirewallBackend
{
    private const string Absent = "absent: ";

    // The largest file read back: a file a server includes, never near this.
    private const int MaxBytes = 64 * 1024 * 1024;

    // The text this run wrote and the server runs (reloaded, or its directives already loaded); null until then.
    private string? _inForce;

    public string Target => $"{format} file {file}";

    public bool MayHoldListenerProtection => false;

    /// <summary>Where the last good file is kept: the state directory, named for the output, so a run never leaves a copy a server includes by pattern.</summary>
    private string LastGood => Path.Combine(stateDirectory, $"last-good-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(file))))[..16]}");

    public Task<string> ReadKernelAsync(RuleSet rules, CancellationToken cancellationToken) => Task.FromResult(Read(file) ?? $"{Absent}{file}\n");

    public bool Holds(RuleSet rules, string listing) => !listing.StartsWith(Absent, StringComparison.Ordinal);

    public bool InForce(RuleSet rules, string listing, string before) => listing != before && listing == _inForce;

    public IReadOnlyList<HeldSet>? Held(RuleSet rules, string listing) => null;

    public async Task ApplyAsync(RuleSet rules, RuleSet? loaded, CancellationToken cancellationToken)
    {
        string text = rules.Render(EmitterRegistry.Default.Create(format, options));
        Vet(file);
        string? before = Read(file), lastGood = Read(LastGood);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Write(file, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FirewallSyncException($"cannot write {file}: {ex.Message}; it was left as it was");
        }

        ToolOutput checkedWith = await CheckAsync(lastGood ?? before, cancellationToken).ConfigureAwait(false);
        if (!checkedWith.Succeeded)
        {
            string putBack = PutBack(lastGood ?? before);
            throw new FirewallSyncException(checkedWith.Killed
                ? $"'{check}' was {checkedWith.Complaint} while checking {file}; {putBack}, and the server was not reloaded"
                : $"'{check}' refused {file}: {checkedWith.Complaint}; {putBack}, and the server was not reloaded") { ToolKilled = checkedWith.Killed };
        }

        bool changed = lastGood is null || before != lastGood || Directives(text) != Directives(lastGood);
        if (changed)
        {
            ToolOutput reloaded = await tools.RunAsync("sh", ["-c", reload], null, CancellationToken.None).ConfigureAwait(false);
            if (!reloaded.Succeeded)
            {
                throw new FirewallSyncException($"'{reload}' failed: {reloaded.Complaint}; {file} is in place and passed '{check}', and the next run reloads again");
            }
        }

        KeepAsLastGood(text, changed);
        _inForce = text;
    }

    // Records the file the server now runs. When that fails (a full disk) the file is in force all the same, and the line says so:
    // the next run, finding no record of it, tests and reloads it again.
    private void KeepAsLastGood(string text, bool reloaded)
    {
        try
        {
            Write(LastGood, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FirewallSyncException(
                $"{file} is in place and passed '{check}'{(reloaded ? " and the server was reloaded" : string.Empty)}, but its copy {LastGood} could not be " +
                $"written ({ex.Message}); the next run tests and reloads it again");
        }
    }

    /// <summary>
    /// Refuses <paramref name="path"/> as sync's output when it is a link or a special file, or it or its directory may be written by
    /// someone other than root or the user running fwrules (<see cref="TrustedDirectory.CheckOutput"/>), as the cache and state are.
    /// </summary>
    /// <exception cref="UntrustedDirectoryException">Refused; nothing was written.</exception>
    /// <exception cref="FirewallSyncException">It cannot be examined.</exception>
    internal static void Vet(string path)
    {
        try
        {
            TrustedDirectory.CheckOutput(path);
        }
        catch (IOException ex)
        {
            throw new FirewallSyncException($"cannot examine {path}: {ex.Message}; it was left as it was");
        }
    }

    /// <summary>
    /// Runs the server's test with the new file in place. A stop while it runs (or once it has passed, before the reload) ends
    /// it, puts <paramref name="good"/> back (none: the file is removed) and reloads nothing: a stopped run never leaves a file
    /// the server has not loaded in place for its next reload.
    /// </summary>
    /// <exception cref="OperationCanceledException">Stopped: the file was put back.</exception>
    private async Task<ToolOutput> CheckAsync(string? good, CancellationToken cancellationToken)
    {
        try
        {
            ToolOutput checkedWith = await tools.RunAsync("sh", ["-c", check], null, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return checkedWith;
        }
        catch (OperationCanceledException)
        {
            PutBack(good);
            throw;
        }
    }

    /// <summary>The lines a server reads: all but blank lines and <c>#</c> comments, which name the version and change with every document.</summary>
    internal static string Directives(string text) =>
        string.Join('\n', text.Split('\n').Where(line => line.TrimStart() is { Length: > 0 } code && !code.StartsWith('#')));

    // Puts the last good file back, or the file as it was (none: removed), and says which.
    private string PutBack(string? good)
    {
        if (good is null)
        {
            File.Delete(file);
            return $"{file} was removed, as before the run";
        }

        Write(file, good);
        return $"{file} was put back as it was last good";
    }

    private static void Write(string path, string text) => AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? InputFile.ReadAllText(path, MaxBytes) : null;
        }
        catch (Exception ex) when (ex is InputFileException or IOException or UnauthorizedAccessException)
        {
            throw new FirewallSyncException($"cannot read {path}: {ex.Message}; it was left as it was");
        }
    }
}
