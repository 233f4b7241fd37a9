namespace FirewallRules.Tests.Cli;

/// <summary>What <c>fwrules sync</c> and <c>fwrules verify</c> refuse before touching anything: usage errors (exit 2) and unusable state (exit 1).</summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class SyncCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-synccli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [TestCase(new[] { "sync" },
        "sync needs --format FORMAT: what to load: nftables, nftables-strict, nftables-chain, iptables-ipset-script, " +
        "nginx, nginx-geo, apache, haproxy, caddy, aws-prefix-list, aws-sg.")]
    [TestCase(new[] { "sync", "-f", "iptables" },
        "'iptables' is not a value of --format: use one of nftables, nftables-strict, nftables-chain, iptables-ipset-script, " +
        "nginx, nginx-geo, apache, haproxy, caddy, aws-prefix-list, aws-sg.")]
    [TestCase(new[] { "sync", "-f", "nftables", "--keep-removed", "3x" },
        "--keep-removed '3x' is not a duration: write a number and a unit (s, m, h, d, w), e.g. 90s, 30m, 24h, 7d or 1h30m.")]
    [TestCase(new[] { "sync", "-f", "nftables", "--lock-wait", "-1s" }, "--lock-wait '-1s' is not a duration")]
    [TestCase(new[] { "sync", "-f", "nftables", "--offline", "--keep-removed", "10675199d" },
        "--keep-removed '10675199d' is longer than 36500d (100 years), the longest duration fwrules takes.")]
    [TestCase(new[] { "sync", "-f", "nftables", "--max-stale", "36500d1s" }, "--max-stale '36500d1s' is longer than 36500d (100 years)")]
    [TestCase(new[] { "sync", "-f", "nftables", "--lock-wait", "1000000d" }, "--lock-wait '1000000d' is longer than 36500d (100 years)")]
    [TestCase(new[] { "sync", "-f", "aws-prefix-list", "--keep-removed", "5215w" }, "--keep-removed '5215w' is longer than 36500d (100 years)")]
    [TestCase(new[] { "verify", "--kernel", "--timeout", "36501d" }, "--timeout '36501d' is longer than 1h, the longest --timeout takes.")]
    [TestCase(new[] { "verify", "--kernel", "--timeout", "1h1s" }, "--timeout '1h1s' is longer than 1h, the longest --timeout takes.")]
    [TestCase(new[] { "sync", "-f", "iptables-ipset-script", "--table", "filter" }, "--table is for the nftables formats; iptables-ipset-script has none.")]
    [TestCase(new[] { "sync", "-f", "nftables", "--table", "9bad" }, "--table '9bad': use 1 to 64 characters, a letter first, then letters, digits, - or _.")]
    [TestCase(new[] { "sync", "-f", "nftables", "--dry-run", "--notify", "https://hooks.example.com/x" }, "--dry-run changes nothing, so it sends no notice: drop --notify.")]
    [TestCase(new[] { "sync", "-f", "nftables", "--notify", "ftp://hooks.example.com/x" }, "--notify 'ftp://hooks.example.com/x' is not an absolute http(s) URL.")]
    [TestCase(new[] { "sync", "-f", "nftables", "--notify", "http://hooks.example.com/secret" },
        "--notify: refusing to post notices to http://hooks.example.com/…: only https:// is allowed")]
    [TestCase(new[] { "sync", "-f", "nftables", "--base-url", "http://mirror.example.com/dd/" },
        "--base-url http://mirror.example.com/dd/: only https:// is allowed, or plain http:// to a loopback address; pass --allow-http to allow it.")]
    [TestCase(new[] { "sync", "-f", "nftables", "--name", "bad name" }, "--name must be 1 to 20 characters")]
    [TestCase(new[] { "sync", "-f", "nftables", "--family", "ipv5" }, "'ipv5' is not a value of --family: use one of ipv4, ipv6, both.")]
    [TestCase(new[] { "sync", "-f", "aws-prefix-list", "--max-entries", "0" }, "--max-entries must be 1 to 1000 (AWS's most entries in a prefix list).")]
    [TestCase(new[] { "sync", "-f", "aws-sg", "--group-id", "sg-0123456789abcdef0", "--rules-per-group", "1001" },
        "--rules-per-group must be 1 to 1000 (AWS's most rules per security group).")]
    [TestCase(new[] { "verify", "--agent-version", "7.x" }, "--agent-version '7.x': use an Agent 6 or 7 version such as 7.64.2 (or 7, 7.64, latest).")]
    [TestCase(new[] { "verify", "--agent-version", "8.0.0" }, "--agent-version '8.0.0': use an Agent 6 or 7 version")]
    [TestCase(new[] { "verify", "--agent-version", "07.080.00" }, "--agent-version '07.080.00': use an Agent 6 or 7 version")]
    [TestCase(new[] { "verify", "--agent-version", "7.080.00" }, "--agent-version '7.080.00': use an Agent 6 or 7 version")]
    [TestCase(new[] { "verify", "--agent-version", "latestx" }, "--agent-version 'latestx': use an Agent 6 or 7 version")]
    [TestCase(new[] { "generate", "-f", "nftables", "--agent", "datadog", "--agent-version", "7.64.2" }, "--agent-version needs an agent configuration")]
    [TestCase(new[] { "generate", "-f", "nftables", "--agent-version", "7.64.2" }, "--agent-version needs an agent configuration")]
    [TestCase(new[] { "sync", "-f", "nftables", "--agent-version", "7.64.2" }, "--agent-version needs an agent configuration")]
    [TestCase(new[] { "sync", "-f", "nftables", "--agent", "datadog", "--agent-version", "7.64.2" }, "--agent-version needs an agent configuration")]
    [TestCase(new[] { "plan", "--agent-config", "datadog.yaml", "--agent-version", "v7.64.0" },
        "--agent-version 'v7.64.0': use an Agent 6 or 7 version such as 7.64.2 (or 7, 7.64, latest).")]
    [TestCase(new[] { "generate", "-f", "squid", "--agent-config", "datadog.yaml", "--agent-version", "7.64.0.1" }, "--agent-version '7.64.0.1': use an Agent 6 or 7 version")]
    [TestCase(new[] { "verify", "--section", "webhooks" },
        "--section webhooks: the Agent has no endpoint for it; use agents, apm, logs, process, orchestrator, remote-configuration, api.")]
    [TestCase(new[] { "verify", "--site", "https://mirror.example.com/dd/" }, "--site must be a Datadog site such as us1 or eu1")]
    [TestCase(new[] { "verify", "--input", "doc.json", "--base-url", "https://mirror.example.com/dd/" }, "--input reads a saved document: it cannot be combined with --base-url.")]
    [TestCase(new[] { "verify", "--kernel", "--timeout", "soon" }, "--timeout 'soon' is not a duration")]
    [TestCase(new[] { "fetch", "--notify", "http://hooks.example.com/secret" }, "--notify: refusing to post notices to http://hooks.example.com/…")]
    public async Task Verb_BadOptions_ExitsTwoWithOneLine(string[] args, string message)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith($"fwrules: {message}"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task Sync_DamagedState_ExitsOneSayingHowToStartAfresh()
    {
        string state = Path.Combine(_directory, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, "state.json"), "{ \"source\": \"https://ip-ranges.datadoghq.com/\", \"published\": { \"logs\": { \"3.233.144.1/20\": ");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sync", "-f", "nftables", "--state", state, "--cache", Path.Combine(_directory, "cache"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.StartWith($"fwrules: the sync state {Path.Combine(state, "state.json")} is damaged (")
            .And.EndsWith("); move it away to start afresh (prefixes kept by --keep-removed then go at once); the firewall was left as it was\n"));
    }

    [Test]
    public async Task Sync_StateOfAnotherSite_ExitsOneNamingBoth()
    {
        string state = Path.Combine(_directory, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, "state.json"), "{ \"source\": \"https://ip-ranges.datadoghq.eu/\", \"published\": {} }");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sync", "-f", "nftables", "--state", state, "--cache", Path.Combine(_directory, "cache"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Is.EqualTo(
            $"fwrules: the sync state {Path.Combine(state, "state.json")} belongs to https://ip-ranges.datadoghq.eu/, not https://ip-ranges.datadoghq.com/: "
            + "use another --state for each site; the firewall was left as it was\n"));
    }
}
