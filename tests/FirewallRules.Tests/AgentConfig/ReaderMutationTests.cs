using System.Diagnostics;
using System.Globalization;
using System.Text;
using FirewallRules.AgentConfig;
using FirewallRules.Server;
using FirewallRules.Sync;
using FirewallRules.Tests.Fetching;
using Microsoft.Extensions.Configuration;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// A mutation campaign per reader of the inputs added after the ip-ranges document (datadog.yaml, env files and
/// /proc/PID/environ, Helm values, serve's JSON configuration, the sync state), with a fixed seed
/// (<c>FWRULES_FUZZ_SEED</c> replays another). In process, every mutant ends in a value or the reader's own refusal: one
/// line, no secret from the input, no control character; each in bounded time and allocation. A sample goes through
/// <c>fwrules plan</c> (exit 0, 1 or 2, nothing but terminal-safe text on stdout) and a smaller one through the real
/// process under a 512 MiB heap limit.
/// </summary>
[TestFixture]
public sealed class ReaderMutationTests
{
    private const int DefaultSeed = 45;
    private const string ApiKey = "0123456789abcdef0123456789abcdef";
    private const string EndpointKey = "fedcba9876543210fedcba9876543210";
    private const string DualKey = "9a8b7c6d5e4f3a2b1c0d9a8b7c6d5e4f";
    private const string Password = "Pr0xyPassw0rdZZ";
    private const string Token = "hooktoken7f3e9a";

    private static readonly string[] Secrets = [ApiKey, EndpointKey, DualKey, Password, Token];

    private static readonly TimeSpan PerMutant = TimeSpan.FromSeconds(5);
    private const long MaxAllocated = 512L * 1024 * 1024;

    private static readonly string Yaml = $"""
        api_key: {ApiKey}
        site: datadoghq.com
        dd_url: https://app.datadoghq.com
        logs_enabled: true
        logs_config:
          force_use_tcp: false
          logs_dd_url: agent-intake.logs.datadoghq.com:10516
          additional_endpoints:
            - api_key: {EndpointKey}
              Host: relay.internal
              Port: 10516
        additional_endpoints:
          "https://app.datadoghq.eu": [{DualKey}]
        apm_config:
          enabled: true
          receiver_port: 8126
          apm_non_local_traffic: false
        proxy:
          https: http://user:{Password}@proxy.internal:3128
          no_proxy: [a.internal]
        cmd_host: localhost
        bind_host: localhost
        dogstatsd_port: 8125
        otlp_config:
          receiver:
            protocols:
              grpc:
                endpoint: 0.0.0.0:4317

        """;

    private static readonly string[] YamlKeys =
    [
        "api_key", "site", "dd_url", "logs_enabled", "force_use_tcp", "logs_dd_url", "Host", "Port", "enabled", "receiver_port",
        "https", "no_proxy", "cmd_host", "bind_host", "dogstatsd_port", "endpoint", "apm_non_local_traffic", "additional_endpoints",
    ];

    private static readonly string Env = $"""
        DD_API_KEY={ApiKey}
        DD_SITE=datadoghq.eu
        DD_LOGS_ENABLED=true
        DD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS=[{"{"}"api_key":"{EndpointKey}","Host":"relay.internal","Port":10516{"}"}]
        DD_ADDITIONAL_ENDPOINTS={"{"}"https://app.datadoghq.eu":["{DualKey}"]{"}"}
        DD_PROXY_HTTPS=http://user:{Password}@proxy.internal:3128
        DD_PROXY_NO_PROXY=a.internal b.internal
        HTTPS_PROXY=http://user:{Password}@proxy2.internal:3128
        DD_APM_RECEIVER_PORT=8126
        export DD_DOGSTATSD_PORT="8125"

        """;

    private static readonly string[] EnvKeys =
    [
        "DD_API_KEY", "DD_SITE", "DD_LOGS_ENABLED", "DD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS", "DD_ADDITIONAL_ENDPOINTS", "DD_PROXY_HTTPS",
        "DD_PROXY_NO_PROXY", "HTTPS_PROXY", "DD_APM_RECEIVER_PORT", "DD_DOGSTATSD_PORT",
    ];

    private static readonly string Helm = $"""
        datadog:
          apiKey: {ApiKey}
          site: datadoghq.com
          logs:
            enabled: true
          apm:
            portEnabled: true
            port: 8126
          dogstatsd:
            port: 8125
            nonLocalTraffic: true
          env:
            - name: DD_PROXY_HTTPS
              value: http://user:{Password}@proxy.internal:3128
        agents:
          image:
            tag: 7.60.0

        """;

    private static readonly string[] HelmKeys = ["apiKey", "site", "enabled", "portEnabled", "port", "nonLocalTraffic", "name", "value", "tag"];

    private static readonly string ServeJson =
        "{\"Serve\": {\"Sites\": [\"us1\", \"eu1\"], \"Listen\": [\"127.0.0.1:8080\"], \"Cache\": \"/var/cache/fwrules\", \"Refresh\": \"15m\", \"Retries\": 3,\n"
        + "  \"AllowHttp\": false, \"Notify\": \"https://hooks.example/x?token=" + Token + "\", \"Otlp\": \"http://localhost:4318\"},\n"
        + " \"Logging\": {\"LogLevel\": {\"Default\": \"Information\"}}}\n";

    private static readonly string[] ServeKeys = ["Sites", "Listen", "Cache", "Refresh", "Retries", "AllowHttp", "Notify", "Otlp", "Default", "BaseUrl"];

    private static readonly string State = $$$"""
        {"source":"{{{Site.US1.IpRangesUri.AbsoluteUri}}}","published":{"agents":{"3.233.144.0/20":"2026-01-01T00:00:00+00:00",
        "2600:1f18:24e6:b900::/56":"2026-01-01T00:00:00+00:00"},"logs":{"3.233.144.0/20":"2026-01-02T00:00:00+00:00"}},
        "confirmed":"2026-01-02T00:00:00+00:00","applied":{"settings":"abc","sections":{"agents":["3.233.144.0/20"]},"kernel":"00","version":59,
        "modified":"2022-01-25-20-00-00","at":"2026-01-02T00:00:00+00:00"}}
        """;

    private static readonly string[] StateKeys = ["source", "agents", "logs", "3.233.144.0/20", "confirmed", "settings", "sections", "kernel", "version", "at"];

    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("FWRULES_FUZZ_SEED"), CultureInfo.InvariantCulture, out int given) ? given : DefaultSeed;

    [Test]
    public async Task AgentYaml_SeededMutants_RefuseInOneSafeLineOrPlan()
    {
        int planned = await CampaignAsync("datadog.yaml", Yaml, YamlKeys, 1500, text => AgentConfiguration.Parse(text), "--agent-config");
        Assert.That(planned, Is.GreaterThan(0), "some mutants are accepted, so the output checks ran");
    }

    [Test]
    public async Task AgentEnvironment_SeededMutants_RefuseInOneSafeLineOrPlan()
    {
        int planned = await CampaignAsync("agent.env", Env, EnvKeys, 600, text => AgentConfiguration.Parse(null, text), "--agent-env");
        planned += await CampaignAsync("environ", Env.Replace('\n', '\0'), EnvKeys, 300, text => AgentConfiguration.Parse(null, text), "--agent-env");
        Assert.That(planned, Is.GreaterThan(0));
    }

    [Test]
    public async Task HelmValues_SeededMutants_RefuseInOneSafeLineOrPlan()
    {
        int planned = await CampaignAsync("values.yaml", Helm, HelmKeys, 500, text => AgentConfiguration.Parse(null, null, text), "--helm-values");
        Assert.That(planned, Is.GreaterThan(0));
    }

    [Test]
    public void ServeConfiguration_SeededMutants_RefuseInOneSafeLine()
    {
        var random = new Random(Seed);
        string path = Path.Combine(_files.DirectoryPath, "serve.json");
        int accepted = 0;
        for (int i = 0; i < 500; i++)
        {
            byte[] mutant = ReaderMutations.Mutate(random, ServeJson, ServeKeys);
            File.WriteAllBytes(path, mutant);
            string context = Context("serve.json", i, mutant);
            accepted += Bounded(context, () =>
            {
                var configuration = new ConfigurationManager();
                MirrorConfigurationFile.Add(configuration, path);
                _ = ServeOptions.From(configuration).ToSettings("/var/cache/fwrules");
                MirrorConfigurationFile.CheckLogLevels(configuration);
            }, ex => ex is ServeConfigurationException or IOException or InvalidDataException);
        }

        Assert.That(accepted, Is.GreaterThan(0));
    }

    [Test]
    public async Task SyncState_SeededMutants_AreRefusedOrNarrowOnly()
    {
        var random = new Random(Seed);
        IpRangesDocument document = IpRangesDocument.Load(FetchTesting.Document(59));
        var store = new FirewallRules.Fetching.SnapshotStore(Path.Combine(_files.DirectoryPath, "cache"));
        string[] sections = ["agents", "logs"];
        int accepted = 0;
        for (int i = 0; i < 800; i++)
        {
            byte[] mutant = ReaderMutations.Mutate(random, State, StateKeys);
            File.WriteAllBytes(Path.Combine(_files.DirectoryPath, "state.json"), mutant);
            string context = Context("state.json", i, mutant);
            SyncState? state = null;
            accepted += Bounded(context, () => state = new SyncStateFile(_files.DirectoryPath).Read(Site.US1), ex => ex is FirewallSyncException);
            if (state is not null)
            {
                // Nothing a state holds widens the rules beyond what a vetted document (here: only the current one) published.
                await GraceRecord.VetAsync(state, document, store, Site.US1, CancellationToken.None);
                RetainedPrefixes retained = Retention.Apply(document, sections, state, DateTimeOffset.UtcNow, TimeSpan.FromDays(3650));
                Assert.That(retained.Kept, Is.Empty, context);
            }
        }

        Assert.That(accepted, Is.GreaterThan(0));
    }

    [Test]
    public async Task RealProcess_ASampleOfMutants_UnderAHeapLimit_ExitZeroOneOrTwoInOneSafeLine()
    {
        var random = new Random(Seed);
        Dictionary<string, string> environment = FwrulesProcess.HeapLimit(512);
        string path = Path.Combine(_files.DirectoryPath, "datadog.yaml");
        for (int i = 0; i < 16; i++)
        {
            // Every other one an alias or nesting mutant, the classes that once ran away.
            byte[] mutant = i % 2 == 0 ? Encoding.UTF8.GetBytes(Yaml + "\nzz: &zz {b: *zz}\n" + new string('[', 50_000)) : ReaderMutations.Mutate(random, Yaml, YamlKeys);
            await File.WriteAllBytesAsync(path, mutant);
            var clock = Stopwatch.StartNew();
            ProcessResult result = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, "plan", "--agent-config", path);
            CheckRun(Context("datadog.yaml (process)", i, mutant), result);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
        }
    }

    // In process: each mutant through the reader; every 20th, and every accepted one of the first 60, through `fwrules plan`.
    private async Task<int> CampaignAsync(string name, string seed, string[] keys, int count, Func<string, AgentPlan> read, string option)
    {
        var random = new Random(Seed + name.Length);
        string path = Path.Combine(_files.DirectoryPath, name);
        int accepted = 0, planned = 0;
        for (int i = 0; i < count; i++)
        {
            byte[] mutant = ReaderMutations.Mutate(random, seed, keys);
            string context = Context(name, i, mutant);
            string text = Encoding.UTF8.GetString(mutant);
            int ok = Bounded(context, () => read(text), ex => ex is AgentConfigurationException);
            accepted += ok;
            if (i % 20 == 0 || (ok == 1 && planned < 60))
            {
                await File.WriteAllBytesAsync(path, mutant);
                ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", option, path);
                CheckRun(context, result);
                planned += result.ExitCode == 0 ? 1 : 0;
            }
        }

        TestContext.Out.WriteLine($"{name}: seed {Seed}, {count} mutants, {accepted} accepted, {planned} planned through fwrules plan");
        Assert.That(accepted, Is.LessThan(count), "some mutants are refused, so the refusal checks ran");
        return planned;
    }

    /// <summary>Runs one mutant: 1 when it was accepted, 0 when refused as <paramref name="expected"/> allows, in bounded time and allocation.</summary>
    private static int Bounded(string context, Action run, Func<Exception, bool> expected)
    {
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        int accepted = 1;
        try
        {
            run();
        }
        catch (Exception ex) when (expected(ex))
        {
            CheckMessage(context, ex.Message);
            accepted = 0;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{context}: escaped as {ex.GetType().Name}: {ex.Message}");
        }

        Assert.That(clock.Elapsed, Is.LessThan(PerMutant), $"{context}: time");
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(MaxAllocated), $"{context}: allocation");
        return accepted;
    }

    private static void CheckMessage(string context, string message)
    {
        Assert.That(message, Does.Not.Contain("\n"), $"{context}: one line");
        Assert.That(message.Where(c => char.IsControl(c) || c is '\u202e' or '\u2028').ToArray(), Is.Empty, $"{context}: terminal-safe: {message}");
        foreach (string secret in Secrets)
        {
            Assert.That(message, Does.Not.Contain(secret), $"{context}: a secret in the message");
        }
    }

    private static void CheckRun(string context, ProcessResult result)
    {
        Assert.That(result.ExitCode, Is.AnyOf(0, 1, 2), $"{context}: {result.Error}");
        Assert.That(result.Error, Does.Not.Contain("   at "), $"{context}: a stack trace");
        Assert.That(result.Error, Does.Not.Contain("Unhandled exception"), $"{context}: a crash");
        Assert.That(result.Output.Where(c => (char.IsControl(c) && c != '\n') || c is '\u202e' or '\u2028').ToArray(), Is.Empty, $"{context}: stdout is terminal-safe");
        foreach (string secret in Secrets)
        {
            Assert.That(result.Output + result.Error, Does.Not.Contain(secret), $"{context}: a secret printed");
        }

        if (result.ExitCode != 0)
        {
            Assert.That(result.Output, Is.Empty, context);
            Assert.That(result.Error, Does.StartWith("fwrules: "), context);
            CheckMessage(context, result.Error.TrimEnd('\n'));
        }
    }

    private static string Context(string name, int index, byte[] mutant) =>
        $"{name}, seed {Seed}, mutant {index} (FWRULES_FUZZ_SEED={Seed} replays it): {Convert.ToBase64String(mutant.AsSpan(0, Math.Min(mutant.Length, 200)))}";
}
