using System.CommandLine;
using System.Text;
using FirewallRules.Fetching;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules fetch</c>: a conditional GET of a site's document into the cache, printing what changed.</summary>
internal static class FetchCommand
{
    public static Command Create(CliConsole console)
    {
        var remote = new RemoteSourceOptions("-s");
        var cache = new Option<string>("--cache")
        {
            Description = $"The cache directory; every version is kept there as <domain>/v<version>.json. Default: $XDG_CACHE_HOME/fwrules, else ~/.cache/fwrules.",
            HelpName = "DIR",
            DefaultValueFactory = _ => CacheDirectory.Default,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Store the document even if its version is lower than the cached one, or it empties or halves a section.",
        };

        var command = new Command("fetch", """
            Fetch a site's ip-ranges document if it changed since the cached copy (a conditional GET with the
            cached ETag and Last-Modified), keep it in the cache as its own version, and print what changed.
            A document older than the cached one, or one that empties a section or removes more than half of
            its addresses, is refused (exit 1) unless --force is given. When the network fails after the
            retries, fwrules exits with 3 and the cache is left as it was.

            Proxies: HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured.

            Examples:
              fwrules fetch
              fwrules fetch --site eu1
              fwrules fetch --base-url https://mirror.example.net/datadog/ --cache /var/cache/fwrules
            """)
        {
            remote.Site, remote.BaseUrl, cache, force, remote.Retries, remote.AllowHttp,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(new Request(remote.Bind(parse), parse.GetValue(cache)!, parse.GetValue(force)), console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Request request, CliConsole console, CancellationToken cancellationToken)
    {
        Site source = request.Source.Site;
        var store = new SnapshotStore(request.Cache);
        await CheckCacheAsync(store, source, cancellationToken).ConfigureAwait(false);
        SnapshotUpdate update;
        try
        {
            update = await store.UpdateAsync(request.Source.CreateClient(), source, request.Force, cancellationToken).ConfigureAwait(false);
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

        OutputTarget.WriteText(console, path: null, Describe(update, source));
        return ExitCode.Success;
    }

    /// <summary>Reads the cached copy up front, so that a damaged cache file is reported as such rather than as a bad download.</summary>
    private static async Task CheckCacheAsync(SnapshotStore store, Site site, CancellationToken cancellationToken)
    {
        try
        {
            await store.GetCurrentAsync(site, cancellationToken).ConfigureAwait(false);
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
            text.Append($"not modified: {update.Current} is current ({update.Path})\n");
            return text.ToString();
        }

        text.Append($"fetched {update.Current} from {site.IpRangesUri}\nsaved to {update.Path}\n");
        text.Append(update.Previous is null
            ? "no earlier version in the cache to compare with\n"
            : update.Previous.DiffTo(update.Current).ToText());
        return text.ToString();
    }

    /// <summary>What one run was asked to do, however the command line spelled it.</summary>
    private sealed record Request(RemoteSource Source, string Cache, bool Force);
}
