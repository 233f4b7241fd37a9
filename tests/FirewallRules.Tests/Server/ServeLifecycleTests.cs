using System.Net;
using System.Net.Sockets;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// How <c>fwrules serve</c> starts and stops: SIGTERM under load, a restart with the upstream down, its
/// configuration sources in order, and one-line errors with the documented exit codes.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeLifecycleTests
{
    private string _work = null!;

    [SetUp]
    public void CreateWorkDirectory() => _work = Directory.CreateTempSubdirectory("fwrules-serve-life-").FullName;

    [TearDown]
    public void DeleteWorkDirectory() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Sigterm_DuringLoad_FinishesTheRequestsInFlightAndExitsZero()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(52));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _work);
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);
        var load = new ClientLoad(http, ["v1/us1/ip-ranges.json", "v1/us1/rules/terraform?section=synthetics", "v1/us1/lists/synthetics.txt"]);
        Task[] clients = [.. Enumerable.Range(0, 16).Select(_ => load.RunAsync())];
        await MirrorClient.WaitUntilAsync(() => Task.FromResult(load.Completed > 200), "the load never got going");

        int exitCode = await mirror.TerminateAsync();
        await Task.WhenAll(clients);

        Assert.That(exitCode, Is.Zero, mirror.Log);
        Assert.That(load.Completed, Is.GreaterThan(200));
        Assert.That(load.BrokenBodies, Is.Zero, "a response whose headers were sent is finished, whole");
        Assert.That(load.ErrorStatuses, Is.Zero);
        Assert.That(mirror.Log, Does.Contain("serve: stopped"));
    }

    [Test]
    public async Task Sigterm_WithASlowClientTricklingItsHeaders_StopsWithinTheShutdownTimeout()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(52));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _work);
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);
        using var slow = new TcpClient();
        await slow.ConnectAsync(mirror.BaseUri.Host, mirror.BaseUri.Port);
        using var stop = new CancellationTokenSource();
        Task trickle = TrickleHeadersAsync(slow.GetStream(), stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        int exitCode = await mirror.TerminateAsync();
        watch.Stop();
        await stop.CancelAsync();
        await trickle;

        Assert.That(exitCode, Is.Zero, mirror.Log);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(12)), "the 5 s shutdown timeout, not 20 s, bounds the wait for the unfinished request");
        Assert.That(mirror.Log, Does.Contain("serve: stopped"));
    }

    [Test]
    public async Task Restart_WithTheUpstreamDown_ServesTheStoredDocumentAtOnce()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(52));
        await using (MirrorProcess first = await MirrorProcess.StartAsync("--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _work))
        {
            using HttpClient http = MirrorClient.Create(first.BaseUri);
            await MirrorClient.WaitReadyAsync(http);
            Assert.That(await first.TerminateAsync(), Is.Zero);
        }

        upstream.Always(IpRangesServer.Status(503));
        await using MirrorProcess second = await MirrorProcess.StartAsync("--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _work, "--retries", "0");
        using HttpClient again = MirrorClient.Create(second.BaseUri);
        await MirrorClient.WaitReadyAsync(again);
        await MirrorClient.WaitUntilAsync(
            async () => await MirrorClient.MetricAsync(again, "fwrules_mirror_fetches_total{site=\"us1\",result=\"failed\"}") >= 1, "no failed fetch");

        Assert.That(await again.GetByteArrayAsync(new Uri("v1/us1/", UriKind.Relative)), Is.EqualTo(await File.ReadAllBytesAsync(FetchTesting.Document(52))));
        Assert.That(second.Log, Does.Contain("us1: serving version 52 from the snapshot store"));
    }

    [Test]
    public async Task Configuration_FileThenEnvironmentThenOptions_EachOverridesTheOneBefore()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        string file = Path.Combine(_work, "serve.json");
        await File.WriteAllTextAsync(file, $$"""
            { "Serve": { "Sites": ["eu1"], "BaseUrl": "{{upstream.BaseUri}}", "Cache": "{{Path.Combine(_work, "cache")}}", "Refresh": "1h" } }
            """);

        string fromFile = await ReadyTextAsync(null, "--config", file);
        string fromEnvironment = await ReadyTextAsync(new Dictionary<string, string> { ["FWRULES_SERVE__SITES"] = "us5" }, "--config", file);
        string fromOptions = await ReadyTextAsync(new Dictionary<string, string> { ["FWRULES_SERVE__SITES"] = "us5" }, "--config", file, "--site", "ap1");

        Assert.That(fromFile, Is.EqualTo("ready: eu1 version 47\n"));
        Assert.That(fromEnvironment, Is.EqualTo("ready: us5 version 47\n"));
        Assert.That(fromOptions, Is.EqualTo("ready: ap1 version 47\n"));
    }

    [TestCase("serve --listen 8080", "fwrules: --listen: '8080' is not an address and port such as 127.0.0.1:8080")]
    [TestCase("serve --listen localhost:8080", "'localhost:8080' is not an address and port")]
    [TestCase("serve --refresh 0s", "fwrules: --refresh: '0s' is not a duration between 1s and 1d")]
    [TestCase("serve --refresh soon", "'soon' is not a duration")]
    [TestCase("serve --site mars", "fwrules: --site: 'mars' is not a Datadog site")]
    [TestCase("serve --retries 11", "--retries must be between 0 and 10")]
    [TestCase("serve --site us1 --site eu1 --base-url http://127.0.0.1:9/", "fwrules: an upstream mirror (base URL) is a mirror of one site: give exactly one site with it")]
    [TestCase("serve --notify ftp://127.0.0.1/hook", "--notify 'ftp://127.0.0.1/hook' is not an absolute http(s) URL.")]
    [TestCase("serve --notify http://198.51.100.7/hooks/secret", "--notify: refusing to post notices to http://198.51.100.7/…: only https:// is allowed")]
    public async Task BadOption_IsAUsageErrorOnOneLine(string command, string message)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, command.Split(' '));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain(message));
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task BadConfigurationValue_IsAUsageErrorNamingItsKey()
    {
        string file = Path.Combine(_work, "serve.json");
        await File.WriteAllTextAsync(file, """{ "Serve": { "Refresh": "often" } }""");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "serve", "--config", file);
        ProcessResult environment = await FwrulesProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["FWRULES_SERVE__LISTEN"] = "nowhere" }, null, "serve");
        ProcessResult notify = await FwrulesProcess.RunWithEnvironmentAsync(
            new Dictionary<string, string> { ["FWRULES_SERVE__NOTIFY"] = "http://198.51.100.7/hooks/secret" }, null, "serve");

        Assert.That(notify.ExitCode, Is.EqualTo(2), notify.Error);
        Assert.That(notify.Error, Does.StartWith("fwrules: notify: refusing to post notices to http://198.51.100.7/…").And.Not.Contain("secret"));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Is.EqualTo("fwrules: Serve:Refresh: 'often' is not a duration between 1s and 1d, such as 90s, 15m or 1h\n"));
        Assert.That(environment.ExitCode, Is.EqualTo(2));
        Assert.That(environment.Error, Does.StartWith("fwrules: Serve:Listen: 'nowhere' is not an address and port"));
    }

    [TestCase("missing.json", "")]
    [TestCase("broken.json", "{ \"Serve\": ")]
    public async Task UnreadableConfigurationFile_IsBadInput(string name, string content)
    {
        string file = Path.Combine(_work, name);
        if (content.Length > 0)
        {
            await File.WriteAllTextAsync(file, content);
        }

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "serve", "--config", file);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.StartWith("fwrules: ").And.Contain(name));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain('\n'));
    }

    [Test]
    public async Task AddressInUse_IsBadInputOnOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        string address = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        ProcessResult result = await FwrulesProcess.RunAsync(null, "serve", "--listen", address, "--cache", _work, "--site", "us1", "--base-url", "http://127.0.0.1:9/");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: cannot listen on {address}: address already in use (is another server on that port?)\n"));
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    /// <summary>A slow client: a request line, then one header line a second, never the blank line that ends the headers.</summary>
    private static async Task TrickleHeadersAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync("GET /v1/us1/ip-ranges.json HTTP/1.1\r\nHost: mirror\r\n"u8.ToArray(), cancellationToken);
            for (int line = 0; ; line++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"X-Slow-{line}: 1\r\n"), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Stopped by the test, or the connection closed by the stopping mirror.
        }
    }

    private static async Task<string> ReadyTextAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(environment, args);
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);
        return await http.GetStringAsync(new Uri("healthz", UriKind.Relative));
    }

    /// <summary>Clients that request the same addresses in turn until the server goes away, counting what came back.</summary>
    private sealed class ClientLoad(HttpClient http, string[] paths)
    {
        private int _completed;
        private int _brokenBodies;
        private int _errorStatuses;

        public int Completed => Volatile.Read(ref _completed);

        public int BrokenBodies => Volatile.Read(ref _brokenBodies);

        public int ErrorStatuses => Volatile.Read(ref _errorStatuses);

        public async Task RunAsync()
        {
            for (int i = 0; ; i++)
            {
                HttpResponseMessage response;
                try
                {
                    response = await http.GetAsync(new Uri(paths[i % paths.Length], UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
                }
                catch (HttpRequestException)
                {
                    return; // refused or closed before an answer began: the server has stopped taking requests
                }

                using (response)
                {
                    await ReadAsync(response);
                }
            }
        }

        private async Task ReadAsync(HttpResponseMessage response)
        {
            try
            {
                byte[] body = await response.Content.ReadAsByteArrayAsync();
                Interlocked.Increment(ref body.Length == response.Content.Headers.ContentLength ? ref _completed : ref _brokenBodies);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _errorStatuses);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                Interlocked.Increment(ref _brokenBodies);
            }
        }
    }
}
