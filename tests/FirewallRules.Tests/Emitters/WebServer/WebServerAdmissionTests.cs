using System.Globalization;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Haproxy;
using FirewallRules.Emitters.WebServer;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.WebServer;

/// <summary>
/// Each web server's output admits exactly its plan, proved in Debian's nginx, apache2, haproxy and caddy: for plans drawn from a
/// seed (sections of real ip-ranges documents, both families or IPv4 alone), each output rendered without and with trusted proxies
/// (haproxy also with the PROXY protocol) and placed as its header says, one server process serving them all on ports of their own;
/// clients at the first, last and a random address of sampled prefixes, just before and after each, and random addresses, IPv4 and
/// IPv6, each direct, direct with a forged <c>X-Forwarded-For</c>, through a trusted proxy (after a forged address), through two
/// trusted proxies, an untrusted proxy forging a planned address, and a trusted proxy whose header ends in an entry that is no
/// address; Apache also with trusted proxies in private space (a chain of balancers inside a network), where mod_remoteip reads
/// differently. Admitted (200) must equal what <see cref="ClientOracle"/>
/// computes from the document's JSON, request by request.
/// </summary>
/// <remarks>
/// Replay or run longer: FWRULES_WEB_SEED=N, FWRULES_WEB_PLANS=N and FWRULES_WEB_PREFIXES=N (prefixes sampled per family). Caddy
/// is proved without trusted proxies only: with them the output uses client_ip and trusted_proxies_strict (Caddy 2.8), which Debian's
/// Caddy 2.6 does not have.
/// </remarks>
[TestFixture]
[Category("RealTools")]
public sealed class WebServerAdmissionTests
{
    private IReadOnlyList<WebServerPlan> _plans = [];
    private WebServerLab? _lab;

    private static int Seed => Setting("FWRULES_WEB_SEED", 20261127);

    private static readonly string[] None = [], Public = WebServerPlan.TrustedProxies, Private = WebServerPlan.PrivateProxies;

    /// <summary>A variant of an output: its format, the proxies it trusts (public or private ones, or none), and whether they speak the PROXY protocol.</summary>
    private sealed record Variant(string Format, string[] Proxies, bool ProxyProtocol)
    {
        public override string ToString() => Format + (Proxies.Length == 0 ? string.Empty : $" trusting {string.Join(", ", Proxies)}") +
            (ProxyProtocol ? " (PROXY protocol)" : string.Empty);
    }

    private static readonly Dictionary<string, Variant[]> Variants = new()
    {
        ["nginx"] = [new("nginx", None, false), new("nginx", Public, false), new("nginx-geo", None, false), new("nginx-geo", Public, false)],
        ["apache2"] = [new("apache", None, false), new("apache", Public, false), new("apache", Private, false)],
        ["haproxy"] = [new("haproxy", None, false), new("haproxy", Public, false), new("haproxy", Public, true)],
        ["caddy"] = [new("caddy", None, false)],
    };

    [OneTimeSetUp]
    public void Draw()
    {
        LinuxTools.Require("ip", "ss", "nginx", "apache2", "haproxy", "caddy");
        _plans = WebServerPlan.Draw(Seed, Setting("FWRULES_WEB_PLANS", 2), Setting("FWRULES_WEB_PREFIXES", 3));
        _lab = WebServerLab.Create(_plans.SelectMany(p => p.Addresses).Concat(WebServerPlan.PrivateHops.Values));
    }

    [OneTimeTearDown]
    public void Dispose() => _lab?.Dispose();

    [TestCase("nginx")]
    [TestCase("apache2")]
    [TestCase("haproxy")]
    [TestCase("caddy")]
    public async Task Server_AdmitsExactlyThePlan_DirectAndThroughTrustedAndUntrustedProxies(string server)
    {
        var served = new List<(ServedFile File, WebServerPlan Plan, Variant Variant)>();
        int port = 20_000;
        foreach (WebServerPlan plan in _plans)
        {
            foreach (Variant variant in Variants[server])
            {
                string name = string.Create(CultureInfo.InvariantCulture, $"dd{port}");
                served.Add((new ServedFile(port++, variant.Format, name, Render(plan, variant, name)), plan, variant));
            }
        }

        Linux.ToolResult check = WebServers.Check(server, [.. served.Select(s => s.File)]);
        Assert.That(check.ExitCode, Is.Zero, $"{server}'s own test refused the outputs:\n{check.Output}{check.Error}");
        using ServerProcess process = WebServers.Start(_lab!.Namespace, server, [.. served.Select(s => s.File)]);
        var failures = new List<string>();
        int asked = 0;
        foreach ((ServedFile file, WebServerPlan plan, Variant variant) in served)
        {
            // Through private proxies, each probe comes from (and names) their counterparts of the public ones.
            WebProbe[] probes = [.. plan.Probes.Where(p => variant.ProxyProtocol || p.ProxyHeader is null)
                .Select(p => variant.Proxies == Private ? p.Through(WebServerPlan.PrivateHops) : p)];
            Dictionary<WebProbe, int> answers = await _lab.AskAllAsync(file.Port, probes);
            asked += answers.Count;
            ClientOracle oracle = plan.Oracle(variant.Proxies);
            failures.AddRange(answers.Where(a => Expected(oracle, variant, a.Key) != (a.Value == 200)).Select(a =>
                $"{plan} {variant}: {a.Key}: {a.Value}, expected {(Expected(oracle, variant, a.Key) ? "200" : "refused")}"));
        }

        TestContext.Out.WriteLine($"{server}: seed {Seed}, {_plans.Count} plans, {served.Count} outputs, {asked} requests judged");
        Assert.That(failures.Take(40), Is.Empty, $"seed {Seed} (replay: FWRULES_WEB_SEED={Seed}); {failures.Count} requests judged wrong");
    }

    private static string Render(WebServerPlan plan, Variant variant, string name)
    {
        PrefixSet proxies = variant.Proxies.Length > 0 ? PrefixSet.Parse(string.Join('\n', variant.Proxies)) : PrefixSet.Empty;
        EmitterOptions options = variant.Format == "haproxy"
            ? new HaproxyOptions { Name = name, Families = plan.Families, TrustedProxies = proxies, ProxyProtocol = variant.ProxyProtocol }
            : new WebServerOptions { Name = name, Families = plan.Families, TrustedProxies = proxies };
        return plan.Rules().Render(EmitterRegistry.Default.Create(variant.Format, options));
    }

    // A PROXY header is read from a trusted proxy only (from anyone else the request fails), and a trusted proxy must send one; a
    // trusted proxy's header whose last entry is no address names no client, so it is refused (what it forwarded is not read past).
    private static bool Expected(ClientOracle oracle, Variant variant, WebProbe probe) => !variant.ProxyProtocol
        ? probe.Unparsed is null ? oracle.Admits(probe.Connection, probe.ForwardedFor) : !oracle.Trusts(probe.Connection) && oracle.Allows(probe.Connection)
        : probe.ProxyHeader is { } given ? oracle.Trusts(probe.Connection) && oracle.Allows(given)
        : !oracle.Trusts(probe.Connection) && oracle.Allows(probe.Connection);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
