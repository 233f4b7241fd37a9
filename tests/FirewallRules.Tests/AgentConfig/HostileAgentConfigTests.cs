using System.Diagnostics;
using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// An agent's configuration written to break the reader: malformed YAML the parser fails on in more than one way,
/// ports of 0, deep nesting, alias bombs, secrets in values of the wrong shape. Every one is an
/// <see cref="AgentConfigurationException"/> of one line, naming the file and line, never a secret's value; merge keys
/// are read as the agent reads them.
/// </summary>
[TestFixture]
public class HostileAgentConfigTests
{
    private const string Secret = "abcdef0123456789abcdef0123456789";

    private static AgentConfigurationException Refused(string? yaml, string? env = null, string? helm = null)
    {
        AgentConfigurationException error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(yaml, env, helm))!;
        Assert.That(error.Message.Any(char.IsControl), Is.False, "one terminal-safe line");
        return error;
    }

    [TestCase("site: datadoghq.com\napm_config: [true\n")]
    [TestCase("apm_config: [\n")]
    [TestCase("a: {b: [c\n")]
    [TestCase("[")]
    [TestCase("{")]
    public void UnclosedFlowCollection_IsOneLineNamingTheFile(string yaml)
    {
        Assert.That(Refused(yaml).Message, Does.StartWith("datadog.yaml:").And.Contain("not valid YAML"));
    }

    [TestCase("logs_enabled: true\nlogs_config:\n  logs_dd_url: relay.internal:0\n", "logs_config.logs_dd_url")]
    [TestCase("dd_url: https://relay.internal:0\n", "dd_url")]
    [TestCase("proxy:\n  https: http://proxy.internal:0\n", "proxy.https")]
    public void PortZero_InTheFile_IsRefusedNamingTheKey(string yaml, string key)
    {
        Assert.That(Refused(yaml).Message, Does.StartWith("datadog.yaml:").And.Contain(key));
    }

    [TestCase("DD_PROXY_HTTPS=http://proxy.internal:0\n", "DD_PROXY_HTTPS")]
    [TestCase("DD_LOGS_ENABLED=true\nDD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS=[{\"api_key\":\"k\",\"Host\":\"relay.internal\",\"Port\":0}]\n", "DD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS")]
    [TestCase("DD_LOGS_ENABLED=true\nDD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS=[{\"api_key\":\"k\",\"Host\":\"relay.internal\",\"Port\":70000}]\n",
        "DD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS")]
    [TestCase("DD_LOGS_ENABLED=true\nDD_LOGS_CONFIG_LOGS_DD_URL=relay.internal:0\n", "DD_LOGS_CONFIG_LOGS_DD_URL")]
    public void PortZero_InTheEnvironment_IsRefusedNamingTheVariable(string env, string variable)
    {
        Assert.That(Refused(null, env).Message, Does.StartWith("environment:").And.Contain(variable));
    }

    [TestCase(50_000)]
    [TestCase(65)]
    public void DeepNesting_IsRefusedWithoutADeepStack(int depth)
    {
        Assert.That(Refused("a: " + new string('[', depth) + new string(']', depth) + "\n").Message, Does.Contain("deeper than 64"));
        Assert.That(Refused("a: " + string.Concat(Enumerable.Repeat("{b: ", depth)) + "1" + new string('}', depth) + "\n").Message, Does.Contain("deeper than 64"));
    }

    [Test]
    public void DeepNestingThroughAliases_IsRefused()
    {
        // Each level is shallow; the aliases stack them 40 + 40 deep.
        string level = string.Concat(Enumerable.Repeat("[", 40)) + "x" + new string(']', 40);
        string yaml = $"a: &a {level}\nb: &b {level.Replace("x", "*a", StringComparison.Ordinal)}\n";

        Assert.That(Refused(yaml).Message, Does.Contain("deeper than 64"));
    }

    [Test]
    public void RecursiveAlias_FourteenBytes_IsRefusedAtOnce()
    {
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();

        Assert.That(Refused("a: &a {b: *a}\n").Message, Is.EqualTo("datadog.yaml:1: an alias names the node that holds it, which expands without end: refused"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(16 * 1024 * 1024));
    }

    [Test]
    public void BillionLaughs_IsRefusedWithinBoundedMemory()
    {
        var yaml = new System.Text.StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]\n");
        }

        long before = GC.GetAllocatedBytesForCurrentThread();

        Assert.That(Refused(yaml.ToString()).Message, Does.Contain("expands to more than"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(64 * 1024 * 1024));
    }

    [Test]
    public void Aliases_WithinTheBounds_AreReadAsTheirAnchors()
    {
        AgentPlan plan = AgentConfiguration.Parse("shared: &port 9999\napm_config:\n  receiver_port: *port\n");

        Assert.That(plan.Listeners.Single(l => l.Feature == "apm").Port.First, Is.EqualTo(9999));
    }

    [Test]
    public void MergeKey_IsHonouredAsTheAgentReadsIt()
    {
        const string yaml = """
            defaults: &defaults
              force_use_tcp: true
              use_compression: true
            logs_enabled: true
            logs_config:
              <<: *defaults
            """;

        Assert.That(AgentConfigurationTests.Hosts(AgentConfiguration.Parse(yaml), "logs"), Is.EqualTo(new[] { "agent-intake.logs.datadoghq.com 10516/tcp" }));
    }

    [Test]
    public void MergeKey_TheMapsOwnKeysWinAndTheFirstMergedMapWins()
    {
        const string yaml = """
            tcp: &tcp {force_use_tcp: true}
            http: &http {force_use_tcp: false}
            logs_enabled: true
            logs_config:
              <<: [*http, *tcp]
            apm_config:
              <<: {enabled: false}
              enabled: true
            """;
        AgentPlan plan = AgentConfiguration.Parse(yaml);

        Assert.That(AgentConfigurationTests.Hosts(plan, "logs"), Is.EqualTo(new[] { "agent-http-intake.logs.datadoghq.com 443/tcp" }));
        Assert.That(AgentConfigurationTests.Hosts(plan, "apm"), Is.Not.Empty);
    }

    [Test]
    public void MergeKey_OfAScalar_IsRefused()
    {
        Assert.That(Refused("logs_config:\n  <<: 3\n").Message, Is.EqualTo("datadog.yaml:2: a merge key (<<) must name a map or a list of maps"));
    }

    [Test]
    public void MergeKey_InHelmValues_IsHonoured()
    {
        const string helm = "base: &base\n  site: datadoghq.eu\ndatadog:\n  <<: *base\n";

        Assert.That(AgentConfiguration.Parse(null, null, helm).Site, Is.EqualTo(Site.EU1));
    }

    [TestCase("DD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS={\"api_key\":\"" + Secret + "\"}\n")]
    [TestCase("DD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS=" + Secret + "\n")]
    [TestCase("DD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS=[{\"api_key\":\"" + Secret + "\",\"Host\":\n")]
    [TestCase("DD_ADDITIONAL_ENDPOINTS=[\"" + Secret + "\"]\n")]
    [TestCase("DD_ADDITIONAL_ENDPOINTS={\"https://relay.internal:0\": [\"" + Secret + "\"]}\n")]
    [TestCase("DD_APM_ADDITIONAL_ENDPOINTS=" + Secret + "\n")]
    public void MalformedAdditionalEndpoint_NeverPrintsTheApiKey(string env)
    {
        Assert.That(Refused(null, "DD_LOGS_ENABLED=true\n" + env).Message, Does.Not.Contain("abcdef0123"));
    }

    [TestCase("dd_url: [https://user:s3cr3tpass@relay.internal]\n")]
    [TestCase("logs_enabled: true\nlogs_config:\n  logs_dd_url: user:s3cr3tpass@relay.internal\n")]
    [TestCase("logs_enabled: yes-user:s3cr3tpass@relay\n")]
    [TestCase("site: https://user:s3cr3tpass@relay.internal\n")]
    [TestCase("dd_url: \"ftp://user:s3cr3tpass/x@app.datadoghq.com/?sig=T0KEN\"\n")]
    [TestCase("dd_url: \"gopher://user:s3cr3tpass@app.datadoghq.com/?sig=T0KEN\"\n")]
    [TestCase("logs_enabled: true\nlogs_config:\n  logs_dd_url: \"user:s3cr3tpass/x@host:notaport\"\n")]
    public void UrlPassword_IsNeverEchoed(string yaml)
    {
        // Nor a query's token; a password may hold / ? or # unencoded, which end the authority as a parser reads it.
        Assert.That(Refused(yaml).Message, Does.Not.Contain("s3cr3tpass").And.Not.Contain("T0KEN"));
    }

    [TestCase("DD_DD_URL=https://user:s3cr3tpass@relay.internal:0\n")]
    [TestCase("DD_APM_RECEIVER_PORT=https://user:s3cr3tpass@x\n")]
    [TestCase("DD_LOGS_ENABLED=https://user:s3cr3tpass@x\n")]
    public void UrlPassword_FromTheEnvironment_IsNeverEchoed(string env)
    {
        Assert.That(Refused(null, env).Message, Does.Not.Contain("s3cr3tpass"));
    }

    [Test]
    public void WrongType_StillQuotesAHarmlessValue()
    {
        Assert.That(Refused("logs_enabled: maybe\n").Message, Is.EqualTo("datadog.yaml:1: logs_enabled: must be true or false, not 'maybe'"));
    }

    [Test]
    public void TerminalEscape_InAValue_IsNotQuotedRaw()
    {
        Assert.That(Refused("logs_enabled: \"\u001b]0;pwned\u0007\"\n").Message, Does.Contain("logs_enabled"));
    }
}
