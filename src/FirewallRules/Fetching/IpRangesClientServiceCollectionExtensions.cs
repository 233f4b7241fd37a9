using FirewallRules;
using FirewallRules.Fetching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// In the container's namespace, like AddHttpClient, so that it is found without another using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="IpRangesClient"/> with a service collection.</summary>
public static class IpRangesClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IpRangesClient"/> as a typed client of <c>IHttpClientFactory</c>, with the
    /// resilience pipeline of <see cref="IpRangesClientOptions"/> (total timeout, retry, circuit breaker,
    /// attempt timeout) in its handler chain.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">
    /// Changes the options; <see langword="null"/> for the defaults. Options may also be configured the usual ways
    /// (<c>services.Configure&lt;IpRangesClientOptions&gt;(...)</c>).
    /// </param>
    /// <returns>The client's builder, e.g. for <c>ConfigurePrimaryHttpMessageHandler(() =&gt; new SocketsHttpHandler { Proxy = ... })</c>.</returns>
    /// <remarks>
    /// <para>The pipeline is Microsoft.Extensions.Http.Resilience's <c>AddResilienceHandler</c> (named
    /// <c>ip-ranges</c>) with the limits of <see cref="IpRangesClientOptions"/>, not the standard handler's. It is
    /// built once per service provider, so the circuit breaker's state survives the factory's handler rotation and
    /// is shared by every <see cref="IpRangesClient"/> it hands out. It uses the registered
    /// <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> when there are ones, and reports Polly's
    /// telemetry (the <c>Polly</c> meter and log category) as that package does.</para>
    /// <para>Calling it again only adds to the options.</para>
    /// <para>The options are validated (source-generated, no reflection) when the first client is created;
    /// invalid options throw <see cref="OptionsValidationException"/> there.</para>
    /// </remarks>
    public static IHttpClientBuilder AddIpRangesClient(this IServiceCollection services, Action<IpRangesClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<IpRangesClientOptions> options = services.AddOptions<IpRangesClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        IHttpClientBuilder client = services.AddHttpClient(nameof(IpRangesClient));
        if (services.Any(descriptor => descriptor.ImplementationType == typeof(IpRangesClientOptionsValidator)))
        {
            // Called again: more options, but not a second pipeline stacked on the first.
            return client;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IpRangesClientOptions>, IpRangesClientOptionsValidator>());
        client
            .AddTypedClient(static (http, provider) =>
                new IpRangesClient(http, provider.GetRequiredService<IOptions<IpRangesClientOptions>>().Value, Logger(provider)))
            // The pipeline owns every time limit; HttpClient's own 100 s would cut across retries.
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(IpRangesResilience.PipelineName, static (pipeline, context) =>
            {
                pipeline.TimeProvider = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
                IpRangesResilience.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<IpRangesClientOptions>>().Value, Logger(context.ServiceProvider));
            });
        return client
            // Inside the resilience handler: each attempt is counted, its body read within the cap, and its redirects
            // followed and checked hop by hop.
            .AddHttpMessageHandler(provider => new IpRangesAttemptHandler(provider.GetRequiredService<IOptions<IpRangesClientOptions>>().Value.ParseOptions.MaxBytes))
            .AddHttpMessageHandler(provider => new IpRangesRedirectHandler(provider.GetRequiredService<IOptions<IpRangesClientOptions>>().Value.AllowInsecureHttp))
            .ConfigurePrimaryHttpMessageHandler((primary, _) => IpRangesRedirectHandler.WithoutAutoRedirect(primary));
    }

    private static ILogger<IpRangesClient> Logger(IServiceProvider provider) =>
        provider.GetService<ILogger<IpRangesClient>>() ?? NullLogger<IpRangesClient>.Instance;
}
