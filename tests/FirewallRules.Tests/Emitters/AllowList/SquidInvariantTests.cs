using System.Globalization;
using System.Net;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// The squid include admits exactly the agent's plan, nothing more, proved with Debian's squid and Debian's own squid.conf: for
/// agent configurations drawn from a seed (sites, relays by name and by address on random ports, logs over plain HTTP, a proxy with
/// no_proxy, and hostile relays at special-purpose addresses, which must be refused), every request around and outside the plan
/// (the plan's hosts on other ports and with the other method, neighbouring names and addresses, the versioned hosts' look-alikes,
/// loopback, the metadata service, other hosts) from agent and non-agent clients (IPv4, IPv6, localhost) gets the answer Debian's
/// squid.conf alone gives it, and every planned request from an agent gets through: with the include before squid.conf's first
/// http_access line, with and without the agents' addresses (<c>SquidOptions.ProxyClients</c>), and in conf.d, after
/// Debian's port denials (which then keep their say).
/// </summary>
/// <remarks>
/// Replay or run longer: FWRULES_SQUID_SEED=N and FWRULES_SQUID_PLANS=N (tests/campaigns/squid-invariant.sh runs many seeds).
/// The model: a request is planned when the plan has a destination over TCP that the proxy carries (not the proxy itself, not a
/// no_proxy bypass, not logs over raw TCP) with the request's method (CONNECT, or a proxied request for plain HTTP), on its port,
/// whose host is the request's host (names case-insensitively and with or without their trailing dot, the versioned hosts as N-N-N-,
/// an address as the address the request's host resolves to).
/// </remarks>
[TestFixture]
[Category("RealTools")]
public sealed class SquidInvariantTests
{
    private static readonly IPAddress Agent4 = IPAddress.Parse("10.77.0.5");
    private static readonly IPAddress Agent6 = IPAddress.Parse("fd77::5");
    private static readonly IPAddress[] Clients =
        [Agent4, Agent6, IPAddress.Parse("10.77.0.6"), IPAddress.Parse("fd77::6"), IPAddress.Loopback];

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("FWRULES_SQUID_SEED"), CultureInfo.InvariantCulture, out int seed) ? seed : 20261127;

    private static int Plans => int.TryParse(Environment.GetEnvironmentVariable("FWRULES_SQUID_PLANS"), CultureInfo.InvariantCulture, out int n) ? n : 3;

    [Test]
    public async Task SquidInclude_AdmitsThePlanAndNothingMore_ForEveryClientAndPlacement()
    {
        LinuxTools.Require("ip", "ss", "squid");
        List<Case> cases = [.. SquidInvariantPlans.Draw(Seed, Plans)];
        var probed = cases.Where(c => c.Plan is not null).Select(c => (Case: c, Probes: SquidInvariantPlans.Probes(c.Plan!))).ToList();
        Dictionary<string, string> hosts = probed.SelectMany(p => p.Probes).Select(p => p.Host).Where(h => !IPAddress.TryParse(h.Trim('[', ']'), out _))
            .Select(h => h.TrimEnd('.').ToLowerInvariant()).Distinct().ToDictionary(h => h, h => "127.0.0.2");

        using var ns = NetworkNamespace.Create();
        foreach (IPAddress client in Clients.Where(c => !IPAddress.IsLoopback(c)))
        {
            ns.Ip("addr", "add", $"{client}/{(client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}", "dev", "lo");
        }

        var failures = new List<string>();
        int port = 3128, asked = 0;
        using DebianSquid baseline = DebianSquid.Start(ns, port++, null, SquidPlacement.None, hosts);
        foreach ((Case planCase, List<Probe> probes) in probed)
        {
            Dictionary<(IPAddress, Probe), int> before = await AskAllAsync(ns, baseline, probes);
            foreach ((SquidPlacement placement, bool named) in new[] { (SquidPlacement.First, true), (SquidPlacement.First, false), (SquidPlacement.ConfD, true) })
            {
                string include = planCase.Include(named);
                using DebianSquid squid = DebianSquid.Start(ns, port++, include, placement, hosts);
                Dictionary<(IPAddress, Probe), int> after = await AskAllAsync(ns, squid, probes);
                asked += after.Count;
                failures.AddRange(Judge(planCase, placement, named, before, after));
            }
        }

        TestContext.Out.WriteLine($"seed {Seed}: {cases.Count} configurations, {cases.Count(c => c.Refusal is not null)} refused, {asked} requests judged");
        Assert.That(cases.Where(c => c.ExpectRefusal && c.Refusal is null).Select(c => c.Yaml), Is.Empty, "a special-purpose relay was planned");
        Assert.That(cases.Where(c => !c.ExpectRefusal && c.Refusal is not null).Select(c => $"{c.Refusal}\n{c.Yaml}"), Is.Empty, "a plain relay was refused");
        Assert.That(failures, Is.Empty, $"seed {Seed} (replay: FWRULES_SQUID_SEED={Seed} FWRULES_SQUID_PLANS={Plans})");
    }

    // Every request from every client, a few at a time.
    private static async Task<Dictionary<(IPAddress, Probe), int>> AskAllAsync(NetworkNamespace ns, DebianSquid squid, List<Probe> probes)
    {
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<(IPAddress, Probe), int>();
        var work = Clients.SelectMany(c => probes.Select(p => (Client: c, Probe: p))).ToList();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, _) =>
            answers[(item.Client, item.Probe)] = await squid.AskAsync(ns, item.Client, item.Probe.Request));
        return new(answers);
    }

    private static IEnumerable<string> Judge(
        Case planCase, SquidPlacement placement, bool named, Dictionary<(IPAddress, Probe), int> before, Dictionary<(IPAddress, Probe), int> after)
    {
        foreach (((IPAddress client, Probe probe), int seen) in after)
        {
            bool agent = client.Equals(Agent4) || client.Equals(Agent6) || !named;
            bool planned = SquidInvariantPlans.IsPlanned(planCase.Plan!, probe);
            int baseline = before[(client, probe)];
            // In conf.d, after Debian's port denials, a planned request gets through only where those let it: as they let localhost's.
            bool passesDenials = placement != SquidPlacement.ConfD || before[(IPAddress.Loopback, probe)] != 403;
            bool admit = (planned && agent && passesDenials) || baseline != 403;
            if (admit != (seen != 403))
            {
                yield return $"plan {planCase.Index} ({placement}, agents {(named ? "named" : "not named")}): {probe.Request.Split("\r\n")[0]} from {client}: " +
                    $"{seen}, expected {(admit ? "through" : "403")} (without the include: {baseline}; planned: {planned})\n{planCase.Yaml}";
            }
        }
    }
}
