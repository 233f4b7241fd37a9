using System.Net;
using FirewallRules.Fetching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FirewallRules.Tests.Fetching;

/// <summary><c>services.AddIpRangesClient()</c>: the typed client, its pipeline and options, through a real container and server.</summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class IpRangesClientRegistrationTests
{
    private readonly ManualTimeProvider _time = new(FetchTesting.Start);
    private IpRangesServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await IpRangesServer.StartAsync(FetchTesting.Document(52));

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task AddIpRangesClient_ResolvedClient_RetriesThroughTheRegisteredPipeline()
    {
        await using ServiceProvider provider = Provider(options => options.MaxRetryAttempts = 1);
        _server.Enqueue(IpRangesServer.Status(503));

        IpRangesDocument document = await _time.RunAsync(provider.GetRequiredService<IpRangesClient>().GetAsync(Site.Custom(_server.BaseUri)), FetchTesting.RetryStep);

        Assert.That(document.Version, Is.EqualTo(52));
        Assert.That(_server.Hits, Is.EqualTo(2));
    }

    [Test]
    public async Task AddIpRangesClient_CircuitOpened_IsSharedByEveryClientItHandsOut()
    {
        await using ServiceProvider provider = Provider(options =>
        {
            options.MaxRetryAttempts = 1;
            options.CircuitBreakerMinimumThroughput = 2;
        });
        _server.Always(IpRangesServer.Status(503));
        Site site = Site.Custom(_server.BaseUri);

        IpRangesFetchException first = Assert.ThrowsAsync<IpRangesFetchException>(
            () => _time.RunAsync(provider.GetRequiredService<IpRangesClient>().GetAsync(site), FetchTesting.RetryStep))!;
        IpRangesFetchException second = Assert.ThrowsAsync<IpRangesFetchException>(
            () => _time.RunAsync(provider.GetRequiredService<IpRangesClient>().GetAsync(site), FetchTesting.RetryStep))!;

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(first.Attempts, Is.EqualTo(2));
        Assert.That(second.Attempts, Is.Zero);
        Assert.That(second.Message, Does.Contain("(no request made): too many recent requests failed, so the circuit breaker is letting none through"));
        Assert.That(_server.Hits, Is.EqualTo(2), "the open circuit kept the second client off the server");
    }

    [Test]
    public async Task AddIpRangesClient_ProxyInThePrimaryHandler_SendsRequestsThroughIt()
    {
        // The test server plays the proxy: it receives the absolute-form request for the real site's host.
        await using ServiceProvider provider = Provider(
            options => options.AllowInsecureHttp = true,
            builder => builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { Proxy = new WebProxy(_server.BaseUri), UseProxy = true }));
        Site site = Site.Custom(new Uri("http://ip-ranges.datadoghq.com/"));

        IpRangesDocument document = await provider.GetRequiredService<IpRangesClient>().GetAsync(site);

        Assert.That(document.Version, Is.EqualTo(52));
        Assert.That(_server.Requests.Single().Host, Is.EqualTo("ip-ranges.datadoghq.com"));
    }

    [Test]
    public async Task AddIpRangesClient_CalledTwice_AddsOptionsButNotASecondPipeline()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddIpRangesClient(UseTestTimes);
        services.AddIpRangesClient(options => options.MaxRetryAttempts = 1);
        await using ServiceProvider provider = services.BuildServiceProvider();
        _server.Always(IpRangesServer.Status(503));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(
            () => _time.RunAsync(provider.GetRequiredService<IpRangesClient>().GetAsync(Site.Custom(_server.BaseUri)), FetchTesting.RetryStep))!;

        Assert.That(error.Attempts, Is.EqualTo(2));
        Assert.That(_server.Hits, Is.EqualTo(2), "one retry, from one pipeline");
    }

    [Test]
    public async Task AddIpRangesClient_InvalidOptions_ThrowWhenTheClientIsCreated()
    {
        await using ServiceProvider provider = Provider(options => options.CircuitBreakerFailureRatio = 0);

        Assert.That(() => provider.GetRequiredService<IpRangesClient>(),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("CircuitBreakerFailureRatio"));
    }

    private ServiceProvider Provider(Action<IpRangesClientOptions> configure, Action<IHttpClientBuilder>? client = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        IHttpClientBuilder builder = services.AddIpRangesClient(options =>
        {
            UseTestTimes(options);
            configure(options);
        });
        client?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    private static void UseTestTimes(IpRangesClientOptions options)
    {
        IpRangesClientOptions test = FetchTesting.Options();
        options.AttemptTimeout = test.AttemptTimeout;
        options.TotalTimeout = test.TotalTimeout;
        options.MaxRetryDelay = test.MaxRetryDelay;
    }
}
