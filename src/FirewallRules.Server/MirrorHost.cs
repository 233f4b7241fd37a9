using FirewallRules.Emitters;
using FirewallRules.Fetching;
using FirewallRules.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FirewallRules.Server;

/// <summary>
/// <c>fwrules serve</c>: the mirror on ASP.NET Core's Generic Host. Configuration comes from a JSON file,
/// then <c>FWRULES_</c> environment variables, then the command line; logs go to stderr (the journal under
/// systemd); SIGTERM and SIGINT stop it gracefully, finishing the requests in flight within 5 seconds.
/// </summary>
internal static class MirrorHost
{
    /// <summary>Environment variables with this prefix configure the mirror, e.g. <c>FWRULES_SERVE__REFRESH=5m</c>.</summary>
    public const string EnvironmentPrefix = "FWRULES_";

    // How long a stop waits for the requests in flight: a response already being written (a 180 KB rules file) takes
    // milliseconds; a client still trickling its request's headers would otherwise hold the stop for the whole wait.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Builds the mirror from its configuration and runs it until it is told to stop.</summary>
    /// <param name="commandLine">What the command line set; it wins over the environment and the file.</param>
    /// <param name="configurationFile">A JSON file with a <c>Serve</c> section (and optionally <c>Logging</c>); null for none.</param>
    /// <param name="defaultCache">The cache directory when no source sets one.</param>
    /// <param name="registry">The formats the rules routes offer.</param>
    /// <param name="quiet">Log warnings and errors only.</param>
    /// <param name="cancellationToken">Stops the mirror gracefully, as SIGTERM does.</param>
    /// <exception cref="ServeConfigurationException">A setting cannot be used.</exception>
    /// <exception cref="IOException">The configuration file cannot be read, the cache is no directory, or an address cannot be listened on.</exception>
    /// <exception cref="InvalidDataException">The configuration file is not valid JSON.</exception>
    /// <exception cref="System.Security.SecurityException">The cache directory is owned by another user or writable by group or others.</exception>
    public static async Task RunAsync(
        ServeOptions commandLine, string? configurationFile, string defaultCache, EmitterRegistry registry, RefusalAdvice refusalAdvice, bool quiet,
        CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "fwrules" });
        MirrorSettings settings = Configure(builder, commandLine, configurationFile, defaultCache);
        ConfigureServices(builder, settings, registry, refusalAdvice, quiet);

        await using WebApplication app = builder.Build();
        var metrics = app.Services.GetRequiredService<MirrorMetrics>();
        app.Use(metrics.CountAsync);
        app.Use(OnlyGetAndHead);
        app.UseRouting();
        app.Services.GetRequiredService<MirrorEndpoints>().Map(app);
        app.Services.GetRequiredService<Pages.PageRoutes>().Map(app);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // An address the host does not have (EADDRNOTAVAIL) or may not bind: Kestrel lets the socket's own error through.
            throw new IOException($"cannot listen on {string.Join(", ", settings.Listen)}: {ex.Message} (is it an address of this host?)", ex);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Kestrel's own words ("Failed to bind to address http://...") said the same in another form.
            throw new IOException($"cannot listen on {string.Join(", ", settings.Listen)}: address already in use (is another server on that port?)", ex);
        }

        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FirewallRules.Server");
        if (logger.IsEnabled(LogLevel.Information))
        {
            string addresses = string.Join(", ", app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses);
            string offline = settings.Input.Count > 0 ? string.Join(" and ", settings.Input.Select(TerminalText.EscapeWhole)) : "the cache or the embedded snapshot";
            string sites = string.Join(", ", settings.Sites.Select(s => settings.Offline ? $"{s.Key} offline, from {offline}" : $"{s.Key} from {s.Source.IpRangesUri}"));
            string refresh = DurationText.Format(settings.Refresh);
            ServerLog.Listening(logger, addresses, sites, refresh);
        }

        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the configuration (the file, then the environment, then <paramref name="commandLine"/>) into
    /// <paramref name="builder"/>, checks it whole, and returns the settings to run with.
    /// </summary>
    private static MirrorSettings Configure(WebApplicationBuilder builder, ServeOptions commandLine, string? configurationFile, string defaultCache)
    {
        if (configurationFile is not null)
        {
            MirrorConfigurationFile.Add(builder.Configuration, configurationFile);
        }

        ServeOptions.CheckEnvironment(Environment.GetEnvironmentVariables().Keys.OfType<string>(), EnvironmentPrefix);
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        // OpenTelemetry's own variables (OTEL_METRIC_EXPORT_INTERVAL, OTEL_RESOURCE_ATTRIBUTES, ...), which its SDK
        // reads from the configuration, for the export --otlp turns on.
        builder.Configuration.AddInMemoryCollection(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(variable => variable.Key is string name && name.StartsWith("OTEL_", StringComparison.Ordinal))
            .Select(variable => new KeyValuePair<string, string?>((string)variable.Key, variable.Value as string)));
        MirrorSettings settings = commandLine.Over(ServeOptions.From(builder.Configuration)).ToSettings(defaultCache);
        MirrorConfigurationFile.CheckLogLevels(builder.Configuration);
        // At start, not as a store error logged at every refresh while nothing is served.
        if (DirectoryPath.Problem(settings.CacheDirectory) is string problem)
        {
            throw new IOException($"cache {TerminalText.EscapeWhole(settings.CacheDirectory)} {problem}");
        }

        CheckCache(settings);
        if (settings is { Input.Count: > 0, Sites: [MirroredSite offline] })
        {
            OfflineInput.Check(settings.Input, offline.Source);
        }

        return settings;
    }

    /// <summary>Whoever else could write the cache would choose what the fleet loads: refused at start, before anything is read from it.</summary>
    private static void CheckCache(MirrorSettings settings)
    {
        var cache = new SnapshotStore(settings.CacheDirectory);
        foreach (MirroredSite site in settings.Sites)
        {
            cache.CheckDirectories(site.Source);
        }
    }

    private static void ConfigureServices(WebApplicationBuilder builder, MirrorSettings settings, EmitterRegistry registry, RefusalAdvice refusalAdvice, bool quiet)
    {
        // The refresher says how each refresh ended in one line; the client's own lines (each retry, the failure
        // with its stack trace) would repeat it, and so would Polly's telemetry lines from the resilience handler.
        // Before the configuration, so that its Logging section can turn them on.
        builder.Logging.AddFilter("FirewallRules.IpRangesClient", LogLevel.None);
        builder.Logging.AddFilter("Polly", LogLevel.None);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(quiet ? LogLevel.Warning : LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // A failure to start (an address in use) is reported once, on one line, by the command.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        // stdout is for results; a server has none, and its log belongs with the other diagnostics.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestLineSize = 4 * 1024;
            options.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            options.Limits.MaxRequestHeaderCount = 64;
            options.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            foreach (System.Net.IPEndPoint endpoint in settings.Listen)
            {
                options.Listen(endpoint);
            }
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(refusalAdvice);
        builder.Services.AddSingleton(services => new SnapshotStore(settings.CacheDirectory) { Logger = services.GetRequiredService<ILogger<SnapshotStore>>() });
        builder.Services.AddSingleton(new MirrorState(settings.Sites, settings.Offline));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<MirrorMetrics>();
        builder.Services.AddSingleton<MirrorEndpoints>();
        builder.Services.AddSingleton<Pages.PageRoutes>();
        builder.Services.AddSingleton<MirrorNotices>();
        builder.Services.AddIpRangesClient(options =>
        {
            options.MaxRetryAttempts = settings.Retries;
            options.AllowInsecureHttp = settings.AllowHttp;
            // One refresher per site gains nothing from a circuit breaker: its own waits already space the requests, and an
            // open circuit would turn the "next attempt in" it logs into no request at all for a minute. A breaker that
            // needs 1000 requests within half a second never opens.
            options.CircuitBreakerMinimumThroughput = 1000;
            options.CircuitBreakerSamplingDuration = TimeSpan.FromMilliseconds(500);
        });
        builder.Services.AddHostedService<MirrorRefresher>();
        if (settings.Otlp is Uri otlp)
        {
            AddOtlpExport(builder.Services, otlp);
        }
    }

    /// <summary>
    /// Exports the mirror's instruments over OTLP (HTTP and protobuf, the Datadog Agent's port 4318) with delta
    /// temporality, which Datadog documents as what it works best with for monotonic sums
    /// (https://docs.datadoghq.com/opentelemetry/guide/otlp_delta_temporality/).
    /// </summary>
    private static void AddOtlpExport(IServiceCollection services, Uri endpoint) =>
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("fwrules", serviceVersion: typeof(MirrorHost).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics
                .AddMeter(MirrorMetrics.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                    // Set in code, the endpoint is the whole address of the metrics path.
                    exporter.Endpoint = endpoint.AbsolutePath == "/" ? new Uri(endpoint, "v1/metrics") : endpoint;
                    reader.TemporalityPreference = MetricReaderTemporalityPreference.Delta;
                }));

    /// <summary>The mirror only reads: other methods get 405, and a request carrying a body gets 413 before any route runs.</summary>
    private static Task OnlyGetAndHead(HttpContext context, RequestDelegate next)
    {
        HttpRequest request = context.Request;
        Representation? refusal = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            ? Representation.Error(StatusCodes.Status405MethodNotAllowed, $"{request.Method} is not allowed: this mirror answers GET and HEAD only")
            : request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0
                ? Representation.Error(StatusCodes.Status413PayloadTooLarge, "a request to this mirror carries no body")
                : null;
        if (refusal is null)
        {
            return next(context);
        }

        context.Response.Headers.Allow = "GET, HEAD";
        return RepresentationWriter.WriteAsync(context, refusal);
    }
}
