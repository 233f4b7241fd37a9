using System.Net;
using System.Net.Sockets;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.WebServer;

/// <summary>How a probe reaches the server.</summary>
internal enum ProbeKind
{
    /// <summary>From its own address, no header.</summary>
    Direct,

    /// <summary>From its own address, with an <c>X-Forwarded-For</c> naming a planned address.</summary>
    Forged,

    /// <summary>Through a trusted proxy, which appends the address it saw to the client's forged header.</summary>
    Proxied,

    /// <summary>Through two trusted proxies in a row.</summary>
    TwoHops,

    /// <summary>Through an untrusted proxy, its header naming a planned address.</summary>
    Untrusted,

    /// <summary>A trusted proxy giving the address in a PROXY protocol header.</summary>
    ProxyProtocol,

    /// <summary>An untrusted client sending a PROXY protocol header naming a planned address.</summary>
    ForgedProxyProtocol,

    /// <summary>A trusted proxy whose header's last entry is no address (<c>unknown</c>, an address with a port) after a planned one.</summary>
    UnparsedEntry,
}

/// <summary>One request: the address it connects from, its <c>X-Forwarded-For</c> (left to right), or the address a PROXY header gives.</summary>
internal sealed record WebProbe(ProbeKind Kind, IPAddress Connection, IReadOnlyList<IPAddress> ForwardedFor, IPAddress? ProxyHeader)
{
    /// <summary>An entry that is no address, written last in <c>X-Forwarded-For</c>.</summary>
    public string? Unparsed { get; init; }

    /// <summary>The URL path asked for.</summary>
    public string Path { get; init; } = "/";

    /// <summary>The same request with the trusted proxies' addresses (the connection's and the header's) replaced as <paramref name="hops"/> says.</summary>
    public WebProbe Through(IReadOnlyDictionary<IPAddress, IPAddress> hops) => this with
    {
        Connection = hops.GetValueOrDefault(Connection, Connection),
        ForwardedFor = [.. ForwardedFor.Select(a => hops.GetValueOrDefault(a, a))],
    };

    /// <summary>The <c>X-Forwarded-For</c> header's value, or null when the probe sends none.</summary>
    public string? Header => ForwardedFor.Count == 0 && Unparsed is null ? null
        : string.Join(", ", ForwardedFor.Select(a => a.ToString()).Concat(Unparsed is null ? [] : [Unparsed]));

    public override string ToString() => $"{Kind} from {Connection}" +
        (Header is { } header ? $" X-Forwarded-For: {header}" : string.Empty) + (ProxyHeader is null ? string.Empty : $" PROXY {ProxyHeader}");
}

/// <summary>
/// Plans drawn from a seed, each sections of a real ip-ranges document in chosen families, rendered by the library, and judged by
/// <see cref="ClientOracle"/> from the document's JSON; the probes around and outside each plan's ranges, from every side.
/// </summary>
internal sealed record WebServerPlan(int Index, string DocumentPath, IReadOnlyList<string> Sections, AddressFamilies Families, IReadOnlyList<WebProbe> Probes)
{
    /// <summary>The trusted proxies of the runs with proxies: documentation ranges, public to mod_remoteip.</summary>
    public static readonly string[] TrustedProxies = ["192.0.2.0/24", "2001:db8:1::/48"];

    /// <summary>
    /// Trusted proxies in private space (RFC 1918, Unique-Local), as balancers inside a network are: mod_remoteip reads past a private
    /// address in the header only from a <c>RemoteIPInternalProxy</c>.
    /// </summary>
    public static readonly string[] PrivateProxies = ["10.80.0.0/24", "fd80:1::/48"];

    private static readonly IPAddress[] Proxy = [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8:1::10")];
    private static readonly IPAddress[] SecondProxy = [IPAddress.Parse("192.0.2.11"), IPAddress.Parse("2001:db8:1::11")];

    /// <summary>Each trusted proxy's address in <see cref="TrustedProxies"/> and its counterpart in <see cref="PrivateProxies"/>, for the probes through private ones.</summary>
    public static readonly IReadOnlyDictionary<IPAddress, IPAddress> PrivateHops = new Dictionary<IPAddress, IPAddress>
    {
        [Proxy[0]] = IPAddress.Parse("10.80.0.10"), [Proxy[1]] = IPAddress.Parse("fd80:1::10"),
        [SecondProxy[0]] = IPAddress.Parse("10.80.0.11"), [SecondProxy[1]] = IPAddress.Parse("fd80:1::11"),
    };
    private static readonly IPAddress[] UntrustedProxy = [IPAddress.Parse("198.51.100.7"), IPAddress.Parse("2001:db8:2::7")];

    /// <summary>The rules the library renders for the plan.</summary>
    public RuleSet Rules() => RuleSet.For(IpRangesDocument.Load(DocumentPath, Site.US1), Sections);

    /// <summary>The oracle of the plan, with <paramref name="proxies"/> trusted (none: the connection's address decides).</summary>
    public ClientOracle Oracle(IEnumerable<string> proxies) => ClientOracle.From(
        DocumentPath, Sections, Families.HasFlag(AddressFamilies.IPv4), Families.HasFlag(AddressFamilies.IPv6), proxies);

    /// <summary>Every address a probe connects from or names, to be given to the namespace's loopback.</summary>
    public IEnumerable<IPAddress> Addresses => Probes.Select(p => p.Connection);

    public override string ToString() =>
        $"plan {Index}: {Path.GetFileName(DocumentPath)} sections {string.Join(",", Sections)} families {Families}";

    /// <summary>
    /// <paramref name="count"/> plans from <paramref name="seed"/>: the ingress sections of a real document, one of them (at least)
    /// with an outbound section that has IPv6 prefixes, so both families are probed; <paramref name="perFamily"/> prefixes sampled per family.
    /// </summary>
    public static IReadOnlyList<WebServerPlan> Draw(int seed, int count, int perFamily)
    {
        var random = new Random(seed);
        string[] documents = [.. Directory.EnumerateFiles(TestData.Path_("ip-ranges")).Order(StringComparer.Ordinal)];
        var plans = new List<WebServerPlan>();
        for (int index = 0; index < count; index++)
        {
            string path = documents[random.Next(documents.Length)];
            IpRangesDocument document = IpRangesDocument.Load(path, Site.US1);
            string[] withIPv6 = [.. document.SectionList.Where(s => s.Name is not ("webhooks" or "synthetics") && s.ListedIPv6.Count > 0).Select(s => s.Name)];
            if (index == 0 && withIPv6.Length == 0)
            {
                index--;
                continue;
            }

            List<string> sections = [.. new[] { "webhooks", "synthetics" }.Where(_ => random.Next(3) > 0).DefaultIfEmpty("webhooks")];
            if (withIPv6.Length > 0 && (index == 0 || random.Next(2) == 0))
            {
                sections.Add(withIPv6[random.Next(withIPv6.Length)]);
            }

            AddressFamilies families = index == 0 || random.Next(3) > 0 ? AddressFamilies.Both : AddressFamilies.IPv4;
            var plan = new WebServerPlan(index, path, sections, families, []);
            plans.Add(plan with { Probes = DrawProbes(plan.Oracle([]), random, perFamily) });
        }

        return plans;
    }

    private static List<WebProbe> DrawProbes(ClientOracle oracle, Random random, int perFamily)
    {
        var probes = new List<WebProbe>();
        foreach (AddressFamily family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            int f = family == AddressFamily.InterNetwork ? 0 : 1;
            ClientOracle.AddressRange[] ranges = [.. oracle.Ranges.Where(r => r.Family == family)];
            IPAddress planned = ranges.Length > 0 ? ClientOracle.Address(ranges[random.Next(ranges.Length)].First, family)
                : ClientOracle.Address(oracle.Ranges[0].First, oracle.Ranges[0].Family);
            IEnumerable<IPAddress> around = ranges.OrderBy(_ => random.Next()).Take(perFamily).SelectMany(range => Around(range, random));
            foreach (IPAddress address in around.Concat(Enumerable.Range(0, 3).Select(_ => RandomAddress(family, random))).Where(Usable).Distinct())
            {
                probes.Add(new(ProbeKind.Direct, address, [], null));
                probes.Add(new(ProbeKind.Forged, address, [planned], null));
                probes.Add(new(ProbeKind.Proxied, Proxy[f], [planned, address], null));
                probes.Add(new(ProbeKind.TwoHops, Proxy[f], [address, SecondProxy[f]], null));
                probes.Add(new(ProbeKind.ProxyProtocol, Proxy[f], [], address));
            }

            probes.Add(new(ProbeKind.Untrusted, UntrustedProxy[f], [planned], null));
            probes.Add(new(ProbeKind.ForgedProxyProtocol, UntrustedProxy[f], [], planned));
            probes.Add(new(ProbeKind.UnparsedEntry, Proxy[f], [planned], null) { Unparsed = "unknown" });
            probes.Add(new(ProbeKind.UnparsedEntry, Proxy[f], [planned], null) { Unparsed = "[2001:db8::7]:5678" });
        }

        return probes;
    }

    // The first and last address of a range, one inside it, and the addresses just before and after it.
    private static IEnumerable<IPAddress> Around(ClientOracle.AddressRange range, Random random)
    {
        UInt128 span = range.Last - range.First;
        UInt128 inside = range.First + (span == UInt128.Zero ? UInt128.Zero : new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()) % span);
        UInt128 max = range.Family == AddressFamily.InterNetwork ? uint.MaxValue : UInt128.MaxValue;
        IEnumerable<UInt128> numbers = [
            range.First, range.Last, inside, .. range.First > 0 ? [range.First - 1] : (UInt128[])[], .. range.Last < max ? [range.Last + 1] : (UInt128[])[]];
        return numbers.Select(n => ClientOracle.Address(n, range.Family));
    }

    // Anywhere in 1.0.0.0-223.255.255.255, or in 2000::/3 (global unicast).
    private static IPAddress RandomAddress(AddressFamily family, Random random) => family == AddressFamily.InterNetwork
        ? ClientOracle.Address((uint)random.NextInt64(0x0100_0000, 0xE000_0000), family)
        : ClientOracle.Address((UInt128.One << 125) | (new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()) & ((UInt128.One << 125) - 1)), family);

    /// <summary>Whether a probe may connect from <paramref name="address"/>: bindable on loopback, and not a proxy's own range.</summary>
    private static bool Usable(IPAddress address)
    {
        UInt128 n = ClientOracle.Number(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            uint top = (uint)(n >> 24);
            return top is not (0 or 127) && top < 224 && !ClientOracle.AddressRange.Parse("192.0.2.0/24").Contains(address)
                && !ClientOracle.AddressRange.Parse("198.51.100.0/24").Contains(address) && !ClientOracle.AddressRange.Parse(PrivateProxies[0]).Contains(address);
        }

        return (n >> 125) == 1 && !ClientOracle.AddressRange.Parse("2001:db8::/32").Contains(address);
    }
}
