using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using FirewallRules.Emitters;
using FirewallRules.IO;
using FirewallRules.Server;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>fwrules serve</c>: an internal mirror that fetches, vets and serves a site's document, its sections,
/// plain lists and rendered rules. The web stack lives in FirewallRules.Server and is loaded only when this
/// verb runs, so the other verbs start as fast as before.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The verb's name; it runs a host that handles SIGTERM and SIGINT itself.</summary>
    public const string Name = "serve";

    private const string Description = """
        Serve a vetted mirror of Datadog's ip-ranges to a fleet: it fetches each site's document in the
        background (a conditional GET every --refresh), keeps only documents the snapshot store accepts,
        and goes on serving the last good one when Datadog or the network fails.

        Routes (GET and HEAD; ETag, Last-Modified, 304 and gzip):
          /v1/<site>/ip-ranges.json              the document, byte for byte (also /v1/<site>/)
          /v1/<site>/<section>.json              one section's document
          /v1/<site>/lists/<section>.txt         aggregated prefixes, one per line
                                                 ?family=ipv4|ipv6|both  &comments=true for a # header
          /v1/<site>/rules/<format>              rules, as 'fwrules generate' renders them
                                                 ?section=logs,apm &direction= &family= &comments= &name=
          /healthz                               200 once every site has a vetted document, else 503
          /metrics                               Prometheus text (--otlp also exports them over OTLP)

        Offline (an air-gapped site, or a first look): --input FILE serves saved documents of the one --site,
        each vetted and stored as a fetched one is, and read again at every --refresh; --offline alone serves
        what the cache holds, or for us1 the snapshot embedded in the tool (old, never stored).

        Examples:
          fwrules serve --site us1 --site eu1 --listen 0.0.0.0:8080 --cache /var/cache/fwrules
          fwrules serve --site eu1 --base-url https://mirror.example.net/v1/eu1/ --refresh 5m
          fwrules serve --site us1 --notify https://hooks.slack.com/services/T000/B000/XXXX
          fwrules serve --offline                                   (the embedded snapshot: open http://127.0.0.1:8080/)
          fwrules serve --site eu1 --input /srv/ip-ranges/eu1.json --listen 0.0.0.0:8080
          fwrules sync --base-url http://mirror:8080/v1/us1/ ...   (hosts, through the mirror)
        """;

    /// <remarks>
    /// Builds the command without touching a type of FirewallRules.Server (only lambdas reach it, compiled
    /// when they run), so that building the command tree for another verb does not load that assembly.
    /// </remarks>
    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        Option<Site[]> sites = Parsed("--site", "A Datadog site to mirror (repeatable): us1, eu1, ... Default: us1.", "SITE", text => ServeOptions.ParseSite(text));
        Option<Site?> baseUrl = CommonOptions.BaseUrl();
        baseUrl.Description = "Fetch the one --site from this upstream mirror instead of Datadog (https://, or http:// to a loopback address).";
        Option<IPEndPoint[]> listen = Parsed(
            "--listen", "Address and port to listen on (repeatable), e.g. 0.0.0.0:8080 or [::]:8080. Default: 127.0.0.1:8080.", "ADDRESS:PORT",
            text => ServeOptions.ParseEndpoint(text));
        Option<string?> cache = new Option<string?>("--cache")
        {
            Description = "The snapshot store: every vetted version, and what is served after a restart. Default: $XDG_CACHE_HOME/fwrules, else ~/.cache/fwrules.",
            HelpName = "DIR",
        }.NamingA("directory");
        Option<TimeSpan[]> refresh = Parsed("--refresh", "Time between fetches: 90s, 15m, 1h (1s to 1d). Default: 15m.", "DURATION", text => ServeOptions.ParseDuration(text));
        refresh.Arity = ArgumentArity.ExactlyOne;
        Option<string?> config = new Option<string?>("--config")
        {
            Description = $"A JSON file with a \"Serve\" section ({ServeOptions.KeyNames}) and optionally \"Logging\". " +
                "FWRULES_SERVE__<KEY> environment variables override it; options override both.",
            HelpName = "FILE",
        }.NamingA("file");
        Option<int> retries = CommonOptions.Retries();
        Option<bool> allowHttp = CommonOptions.AllowHttp();
        Option<Uri?> notify = CommonOptions.Notify();
        Option<Uri[]> otlp = Parsed(
            "--otlp",
            "Also export the metrics over OTLP/HTTP to this receiver, e.g. a Datadog Agent's http://localhost:4318 (delta temporality, as Datadog recommends). " +
            "Default: none.",
            "URL", text => ServeOptions.ParseOtlp(text));
        otlp.Arity = ArgumentArity.ExactlyOne;
        (Option<bool> offline, Option<string[]> input) = OfflineOptions();

        var command = new Command(Name, Description)
        {
            sites, baseUrl, listen, cache, refresh, config, retries, allowHttp, notify, otlp, offline, input,
        };
        command.Validators.Add(result => NoticeDeliveryStep.Validate(result, notify, allowHttp));
        command.SetAction((parse, cancellationToken) => RunAsync(new Request(
            registry,
            new ServeOptions
            {
                Sites = parse.GetValue(sites) is { Length: > 0 } given ? given : null,
                BaseUrl = parse.GetValue(baseUrl),
                Listen = parse.GetValue(listen) is { Length: > 0 } addresses ? addresses : null,
                Cache = parse.GetValue(cache),
                Refresh = parse.GetValue(refresh) is [TimeSpan interval] ? interval : null,
                Retries = parse.GetResult(retries) is { Implicit: false } ? parse.GetValue(retries) : null,
                AllowHttp = parse.GetValue(allowHttp) ? true : null,
                Notify = parse.GetValue(notify),
                Otlp = parse.GetValue(otlp) is [Uri receiver] ? receiver : null,
                Offline = parse.GetValue(offline) ? true : null,
                Input = parse.GetValue(input) is { Length: > 0 } files ? files : null,
            },
            parse.GetValue(config),
            parse.GetValue(CommonOptions.Quiet)), console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Request request, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            var advice = new RefusalAdvice(ForcedFetch.Advice, InputAdvice);
            await MirrorHost.RunAsync(request.Options, request.ConfigurationFile, UserDirectories.Cache, request.Registry, advice, request.Quiet, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ServeConfigurationException ex)
        {
            throw new CliException(ex.Message, ExitCode.Usage);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new CliException(ex.Message);
        }

        console.WriteNote("serve: stopped");
        return ExitCode.Success;
    }

    /// <summary>
    /// The way out of a refused <c>--input</c> file, which no fetch on this host replaces (it may have no network): a newer
    /// document copied over it, read at the next refresh; or a change checked by hand, stored where Datadog can be reached and
    /// that cache served.
    /// </summary>
    private static string InputAdvice(Site site, bool older)
    {
        string name = site.Name.ToLowerInvariant();
        return older
            ? $"copy {name}'s current document over the file, fetched where Datadog can be reached (fwrules fetch --site {name}): " +
              "the mirror reads it again every --refresh"
            : "if Datadog really changed that much, store it where Datadog can be reached, with fwrules fetch --force " +
              $"--site {name} --cache DIR, and serve that DIR here with --cache DIR; the mirror reads the file again every --refresh";
    }

    /// <summary>The options of an offline mirror: <c>--offline</c>, and <c>--input FILE</c>, which implies it.</summary>
    private static (Option<bool> Offline, Option<string[]> Input) OfflineOptions() => (
        new Option<bool>("--offline")
        {
            Description = "Fetch nothing: serve the --input files, what the cache holds, or for us1 the snapshot embedded in the tool (old, never stored).",
        },
        Parsed(
            "--input", "A saved ip-ranges document of the one --site, served offline (repeatable; vetted and stored as a fetched one, read again every --refresh).",
            "FILE", text => ServeOptions.ParseFileName(text), "-i"));

    /// <summary>An option whose values are read by the mirror's own parser, so the command line, the environment and the file agree.</summary>
    private static Option<T[]> Parsed<T>(string name, string description, string helpName, Func<string, T> parse, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => ParseAll(result, name, parse),
    };

    private static T[] ParseAll<T>(ArgumentResult result, string name, Func<string, T> parse)
    {
        var values = new List<T>();
        foreach (Token token in result.Tokens)
        {
            try
            {
                values.Add(parse(token.Value));
            }
            catch (ServeConfigurationException ex)
            {
                // Quoted as a refusal may quote an address: a password or a token in the value is not repeated.
                string message = token.Value.Length == 0 ? ex.Message : ex.Message.Replace(token.Value, UrlText.WithoutSecrets(token.Value), StringComparison.Ordinal);
                result.AddError($"{name}: {message}");
            }
        }

        return [.. values];
    }

    /// <summary>What one run was asked to do: the command line's settings (the environment and the file fill the rest).</summary>
    private sealed record Request(EmitterRegistry Registry, ServeOptions Options, string? ConfigurationFile, bool Quiet);
}
