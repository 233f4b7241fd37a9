using System.Diagnostics;

namespace FirewallRules.Sync;

/// <summary>
/// Runs the firewall's own command-line tools (<c>nft</c>, <c>ipset</c>, <c>iptables</c>, <c>iptables-restore</c>), found
/// on <c>PATH</c> or in <c>/usr/sbin</c> and <c>/sbin</c> (cron's <c>PATH</c> has neither), with their input on stdin.
/// </summary>
internal sealed class FirewallTools
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private readonly string[] _searchPath =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>Runs <paramref name="tool"/> to completion and returns what it printed, whatever its exit code.</summary>
    /// <exception cref="FirewallSyncException">The tool is not installed, or did not finish within two minutes.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled: the tool was ended first.</exception>
    public async Task<ToolOutput> RunAsync(string tool, IReadOnlyList<string> args, string? input, CancellationToken cancellationToken)
    {
        string path = _searchPath.Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists)
            ?? throw new FirewallSyncException($"{tool} is not installed (looked on PATH, in /usr/sbin and in /sbin); the firewall was left as it was");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The tools' messages are quoted to the user: keep them in one language.
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new FirewallSyncException($"{tool} did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        try
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), limit.Token).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Never left running behind a stopped run: a staging ipset restore would race the undo that follows.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (ex is IOException)
            {
                // The tool died before reading its input (killed by a signal): its exit code says how.
                return new ToolOutput($"{tool} {string.Join(' ', args)}", process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
            }

            throw new FirewallSyncException($"{tool} {string.Join(' ', args)} did not finish within {Limit.TotalMinutes:0} minutes");
        }

        return new ToolOutput($"{tool} {string.Join(' ', args)}", process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
