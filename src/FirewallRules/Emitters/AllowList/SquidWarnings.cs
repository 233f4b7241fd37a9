using System.Globalization;

namespace FirewallRules.Emitters.AllowList;

/// <summary>What the <c>squid</c> format warns about beside the include it writes.</summary>
internal static class SquidWarnings
{
    /// <summary>
    /// The relays and names at special-purpose addresses the include leaves out (<see cref="SquidSpecialDestinations"/>), one line each;
    /// null when there is none.
    /// </summary>
    public static string? SpecialLeftOut(RuleSet rules, bool clientsNamed)
    {
        (IReadOnlyList<AllowListHosts.Entry> entries, _, IReadOnlyList<AllowListHosts.AddressRelay> relays) = AllowListHosts.WithAddresses(rules, AllowListUse.HttpProxy);
        string[] leftOut = SquidSpecialDestinations.Split(entries, relays, clientsNamed).LeftOut;
        return leftOut.Length == 0 ? null : string.Join('\n', leftOut.Select(reason => $"not allowed through the proxy: {reason}"));
    }

    /// <summary>
    /// The format's warning beside what it leaves out: the ports a CONNECT goes to other than 443, which Debian's squid.conf denies
    /// before conf.d is read (<c>http_access deny CONNECT !SSL_ports</c>), so that the include must come before that line.
    /// </summary>
    public static string? PortsBeforeDenials(RuleSet rules)
    {
        (IReadOnlyList<AllowListHosts.Entry> entries, _, IReadOnlyList<AllowListHosts.AddressRelay> relays) = AllowListHosts.WithAddresses(rules, AllowListUse.HttpProxy);
        string[] ports = [.. entries.Where(e => !e.PlainHttp).Select(e => (e.Port, e.Name))
            .Concat(relays.Where(r => !r.PlainHttp).Select(r => (r.Port, Name: r.Address.ToString())))
            .Where(p => !(p.Port.IsSinglePort && p.Port.First == 443)).GroupBy(p => p.Port)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} ({string.Join(", ", g.Select(p => p.Name).Distinct())})"))];
        return ports.Length == 0 ? null
            : $"CONNECT to {string.Join("; ", ports)} passes only where the include comes before squid.conf's port denials " +
              "(Debian's 'http_access deny CONNECT !SSL_ports'): it adds no port to SSL_ports, so in conf.d, after them, these stay denied";
    }
}
