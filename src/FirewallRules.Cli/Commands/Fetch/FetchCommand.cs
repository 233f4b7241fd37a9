using System.CommandLine;
using System.Text;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Notices;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules fetch</c>: a conditional GET of a site's document into the cache, printing what changed.</summary>
internal static class FetchCommand
{
    public static Command Create(CliConsole console)
    {
        var remote = new RemoteSourceOptions();
        Option<string> cache = CommonOptions.Cache();
        var force = new Option<bool>("--force")
        {
            Description = "Store the document even if its version is lower than the cached one or more than 1000 ahead of the newest known, or it empties, halves " +
                "or widens a section too far.",
        };
        Option<Uri?> notify = CommonOptions.Notify();

        var command = new Command("fetch", """
            Fetch a site's ip-ranges document if it changed since the cached copy (a conditional GET with the
            cached ETag and Last-Modified), keep it in the cache as its own version, and print what changed (nothing with --quiet).
            A document older than the cached one or more than 1000 versions ahead of the newest known (the cached
            one, or the snapshot shipped with fwrules, also on an empty cache), or one that empties a
            section or removes more than half of its addresses, or grows a section to more than 10 times its addresses and by more than
            a /16 (IPv4) or a /48 (IPv6), is refused (exit 1) unless --force is given. A refusal that --force overrides
            is named in one line on stderr (even with --quiet), and the exit status is 0. When the network fails after the
            retries, fwrules exits with 3 and the cache is left as it was.

            The cache records each document's SHA-256 when it is vetted: a cached file that no longer matches (or was
            never vetted) is not used, and one line on stderr says so; fetching that version again replaces it. The
            cache directory must be owned by root or you and writable by its owner alone (exit 1 otherwise).

            With --notify URL, a JSON notice of each version change (sections, prefixes added and removed,
            a one-line "text" for chat webhooks) is posted to URL, with the same retries as the fetch. A notice
            that cannot be delivered is kept in the cache and sent by the next run (exit 3 meanwhile).

            Proxies: HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured.

            Examples:
              fwrules fetch
              fwrules fetch --site eu1
              fwrules fetch --base-url https://mirror.example.net/datadog/ --cache /var/cache/fwrules
              fwrules fetch --site eu1 --notify https://hooks.slack.com/services/T000/B000/XXXX
            """)
        {
            remote.Site, remote.BaseUrl, cache, force, remote.Retries, remote.AllowHttp, notify,
        };
        command.Validators.Add(result => NoticeDeliveryStep.Validate(result, notify, remote.AllowHttp));
        command.SetAction((parse, cancellationToken) =>
            RunAsync(
                new Request(remote.Bind(parse), parse.GetValue(cache)!, parse.GetValue(force), parse.GetValue(notify), parse.GetValue(CommonOptions.Quiet)),
                console,
                cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Request request, CliConsole console, CancellationToken cancellationToken)
    {
        CommonOptions.RequireDirectory(request.Cache, "--cache");
        Site source = request.Source.Site;
        var store = new SnapshotStore(request.Cache) { Logger = new WarningLines(console.WriteWarning) };
        SnapshotUnvettedException? unvetted = await CheckCacheAsync(store, source, console, cancellationToken).ConfigureAwait(false);
        SnapshotUpdate update;
        try
        {
            update = await store.UpdateAsync(request.Source.CreateClient(console), source, request.Force, cancellationToken).ConfigureAwait(false);
        }
        catch (IpRangesFormatException ex)
        {
            throw new CliException(ex, $"{source.IpRangesUri}: ", "; the cache is unchanged");
        }
        catch (IpRangesFetchException ex)
        {
            throw new CliException(ex, suffix: "; the cache is unchanged");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write the cache in {store.DirectoryPath}: {ex.Message}; choose another --cache");
        }

        if (update.ReplacedUnvetted is { } replaced)
        {
            // Said even with --quiet, as the line above about it was: the cache was changed behind fwrules' back.
            console.WriteWarning(replaced.FilePath == unvetted?.FilePath
                ? $"{TerminalText.EscapeWhole(update.Path)} is replaced by the copy just fetched and vetted"
                : $"{replaced.Message}: it was never used, and is replaced by the copy just fetched and vetted");
        }

        if (update.OverriddenRefusal is { } overridden)
        {
            // Said even with --quiet: cron mail and the journal must show that a guard was overridden, and which.
            console.WriteWarning($"--force overrode a refusal: {overridden.Message}; it was stored all the same");
        }

        if (!request.Quiet)
        {
            // --quiet leaves the result asked for and errors: the fetch's result is the cache, this is its summary.
            OutputTarget.WriteText(console, path: null, Describe(update, source));
        }

        return request.Notify is { } target
            ? await NotifyAsync(console, store, request, target, cancellationToken).ConfigureAwait(false)
            : ExitCode.Success;
    }

    /// <summary>Records a notice for any version change the outbox has not seen yet, then posts what is pending.</summary>
    private static async Task<int> NotifyAsync(CliConsole console, SnapshotStore store, Request request, Uri target, CancellationToken cancellationToken)
    {
        Site site = request.Source.Site;
        var outbox = NoticeOutbox.For(store, site);
        try
        {
            await outbox.RecordAsync(store, site, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write the change notice in {outbox.DirectoryPath}: {ex.Message}; choose another --cache");
        }

        return await NoticeDeliveryStep.RunAsync(console, outbox, target, request.Source.Retries, request.Quiet, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the cached copy up front, so that a damaged cache file is reported as such rather than as a bad download. A copy
    /// that no longer holds the bytes the cache vetted is said in one warning line (even with --quiet) and returned: the
    /// fetch then compares with the newest copy the cache can prove, and fetching that version again replaces it.
    /// </summary>
    private static async Task<SnapshotUnvettedException?> CheckCacheAsync(SnapshotStore store, Site site, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            await store.GetCurrentAsync(site, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SnapshotUnvettedException ex)
        {
            console.WriteWarning($"{ex.Message}: it is not used");
            return ex;
        }
        catch (IpRangesFormatException ex)
        {
            throw new CliException(ex, $"the cached copy of {site} is damaged (", $"); delete it from {store.DirectoryPath} or use another --cache");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the cache in {store.DirectoryPath}: {ex.Message}; choose another --cache");
        }
    }

    private static string Describe(SnapshotUpdate update, Site site)
    {
        var text = new StringBuilder();
        if (update.IsNotModified)
        {
            text.Append($"not modified: {Wording.Document(update.Current)} is current ({TerminalText.EscapeWhole(update.Path)})\n");
            return text.ToString();
        }

        text.Append($"fetched {Wording.Document(update.Current)} from {TransportPolicy.Show(site.IpRangesUri)}\nsaved to {TerminalText.EscapeWhole(update.Path)}\n");
        text.Append(update.Previous is null
            ? "no earlier version in the cache to compare with\n"
            : update.Previous.DiffTo(update.Current).ToText());
        return text.ToString();
    }

    /// <summary>What one run was asked to do, however the command line spelled it.</summary>
    private sealed record Request(RemoteSource Source, string Cache, bool Force, Uri? Notify, bool Quiet);
}
