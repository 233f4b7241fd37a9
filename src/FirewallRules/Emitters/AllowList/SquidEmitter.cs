using System.Globalization;
using System.Net;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.AllowList;

/// <summary>
/// <c>squid</c>: an include file for Squid that lets the agent CONNECT to Datadog's host names on the rules' ports and
/// opens nothing else: per port an <c>acl</c> of the names (<c>dstdomain</c>, or <c>dstdom_regex</c> for the versioned
/// metrics hosts, both with <c>-n</c>: a CONNECT to an address is never looked up in reverse, so no address whose PTR record names
/// a Datadog host gets through) and of the port, and one <c>http_access allow</c> for CONNECT to both, from the agents' addresses
/// when <see cref="SquidOptions.ProxyClients"/> names them. It defines acls of its own only: no port is added to the shared
/// <c>SSL_ports</c> or <c>Safe_ports</c> (an acl's values are its whole set wherever they are added, so that would let every client
/// squid.conf allows later reach any host on the port). Included before squid.conf's first <c>http_access</c> line, it admits
/// exactly the plan and leaves every other request to squid.conf as before; included after Debian's port denials (conf.d),
/// CONNECT on ports other than 443 stays denied there (the format's warning says so). A host the agent sends plain HTTP to
/// (<c>logs_no_ssl</c>, an <c>http://</c> URL) is a proxied request in absolute form, not a CONNECT: its own acl, allowed for any
/// method but CONNECT. A relay the agent's plan gives by its address is allowed the same way by a <c>dst</c> acl of that address,
/// for requests that name that address only (a <c>dstdomain -n</c> of the address as Squid writes it): a name resolving to it is refused.
/// </summary>
/// <remarks>
/// UDP ports are left out (Squid carries TCP), named in one comment line; names are Datadog's own, per site, or an agent's
/// planned hosts, each checked to be a DNS name.
/// </remarks>
internal sealed class SquidEmitter(EmitterOptions options) : IRuleEmitter, IByNameEmitter
{
    public string Format => AllowListFormats.Squid;

    public string Description =>
        "A Squid include: CONNECT to Datadog's host names for the rules' outbound sections on their ports, nothing else (include it before squid.conf's first 'http_access').";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        SquidOptions squid = SquidOptions.From(options);
        bool clientsNamed = squid.ProxyClients.Count > 0;
        (IReadOnlyList<AllowListHosts.Entry> entries, IReadOnlyList<string> leftOut, IReadOnlyList<AllowListHosts.AddressRelay> relays) =
            AllowListHosts.WithAddresses(rules.Rules, AllowListUse.HttpProxy);
        (AllowListHosts.Entry[] names, AllowListHosts.AddressRelay[] addresses, string[] special) = SquidSpecialDestinations.Split(entries, relays, clientsNamed);
        if (options.Comments)
        {
            CommentText.Write(output, "#", rules.Rules.Describe());
            CommentText.Write(output, "#", [
                "In squid.conf, before its first 'http_access' line (Debian's: 'http_access deny !Safe_ports'):",
                "  include /etc/squid/datadog-agent.conf",
                "These lines allow the requests below and define acls of their own only: every other request meets squid.conf's rules as before.",
                clientsNamed ? "Clients: the agents' addresses in the acl below only."
                    : "Clients: any that reach these lines (no agents' addresses were given).",
                "No allow line reaches a special-purpose address (loopback, link-local, the metadata services...), whatever a name resolves to."]);
            CommentText.Write(output, "#", [.. leftOut.Concat(special).Select(reason => "not allowed: " + reason)]);
        }

        // Every acl is named after the output's name (datadog_...): two includes of different names keep their acls apart.
        string n = options.Name;
        output.Write($"acl {n}_connect method CONNECT\n");
        foreach (IPNetwork client in squid.ProxyClients)
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"acl {n}_clients src {client}\n"));
        }

        output.Write(SquidSpecialDestinations.AclLines(n));
        string allow = clientsNamed ? $"http_access allow {n}_clients" : "http_access allow";
        string safe = $" !{SquidSpecialDestinations.Acl(n)}";
        // Through a proxy the hosts and relays are over TCP only: what goes over UDP is among the reasons left out.
        foreach (PortRange port in names.Select(e => e.Port).Concat(addresses.Select(r => r.Port)).Distinct())
        {
            string first = port.First.ToString(CultureInfo.InvariantCulture);
            string last = port.Last.ToString(CultureInfo.InvariantCulture);
            string id = port.IsSinglePort ? first : $"{first}_{last}";
            output.Write($"acl {n}_port_{id} port {(port.IsSinglePort ? first : $"{first}-{last}")}\n");
            Hosts(output, [.. names.Where(e => e.Port == port && !e.PlainHttp)], $"{n}_", id, ($"{allow} {n}_connect", safe), "hosts", "versioned");
            Hosts(output, [.. names.Where(e => e.Port == port && e.PlainHttp)], $"{n}_", id, ($"{allow} !{n}_connect", safe), "http_hosts", "http_versioned");
            Addresses(output, [.. addresses.Where(r => r.Port == port && !r.PlainHttp)], $"{n}_", id, ($"{allow} {n}_connect", safe), "addresses");
            Addresses(output, [.. addresses.Where(r => r.Port == port && r.PlainHttp)], $"{n}_", id, ($"{allow} !{n}_connect", safe), "http_addresses");
        }
    }

    // A relay the plan gives by its address (dd_url: https://10.1.2.3:8443): a dst acl of that one address, and the address as the
    // request's host (dstdomain -n of the form Squid writes a parsed address in: 10.1.2.3, [fd00::1]), so that a name resolving to
    // it (999.999.999.999 or a:b through a resolver that answers them) is refused, however the address itself is spelt. A special
    // relay allowed on purpose (to the agents named) has its own acls and line, without the special blocks' negation.
    private static void Addresses(TextWriter output, AllowListHosts.AddressRelay[] relays, string n, string id, (string Allow, string Safe) line, string kind)
    {
        foreach (IGrouping<bool, AllowListHosts.AddressRelay> group in relays.GroupBy(r => SquidSpecialDestinations.IsSpecial(r.Address)))
        {
            string acl = group.Key ? $"special_{kind}" : kind;
            foreach (AllowListHosts.AddressRelay relay in group.DistinctBy(r => r.Address))
            {
                bool v4 = relay.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
                output.Write(string.Create(CultureInfo.InvariantCulture, $"acl {n}{acl}_{id} dst {relay.Address}/{(v4 ? 32 : 128)}\n"));
                output.Write($"acl {n}{acl}_{id}_literal dstdomain -n {(v4 ? relay.Address.ToString() : $"[{relay.Address}]")}\n");
            }

            output.Write($"{line.Allow} {n}port_{id} {n}{acl}_{id}_literal {n}{acl}_{id}{(group.Key ? string.Empty : line.Safe)}\n");
        }
    }

    // The names and the versioned metrics hosts of one port, then their http_access lines: CONNECT for HTTPS, anything but CONNECT for plain HTTP.
    private static void Hosts(TextWriter output, AllowListHosts.Entry[] port, string n, string id, (string Allow, string Safe) line, string hosts, string versioned)
    {
        // An acl name holds one type: the versioned metrics hosts get their own (Squid refuses to start otherwise).
        string[] names = [.. port.Where(e => !e.Name.StartsWith("*-", StringComparison.Ordinal)).Select(e => e.Name)];
        string[] patterns = [.. port.Where(e => e.Name.StartsWith("*-", StringComparison.Ordinal)).Select(e => e.Name[1..])];
        foreach (string name in names)
        {
            output.Write($"acl {n}{hosts}_{id} dstdomain -n {name}\n");
        }

        foreach (string suffix in patterns)
        {
            output.Write($"acl {n}{versioned}_{id} dstdom_regex -n -i ^[0-9]+-[0-9]+-[0-9]+{Regex(suffix)}\\.?$\n");
        }

        output.Write(names.Length > 0 ? $"{line.Allow} {n}port_{id} {n}{hosts}_{id}{line.Safe}\n" : string.Empty);
        output.Write(patterns.Length > 0 ? $"{line.Allow} {n}port_{id} {n}{versioned}_{id}{line.Safe}\n" : string.Empty);
    }

    public int HostNames(RuleSet rules) => AllowListHosts.Of(rules, AllowListUse.HttpProxy).Entries.DistinctBy(e => e.Name).Count();

    public IReadOnlyList<string> Features(RuleSet rules)
    {
        (IReadOnlyList<AllowListHosts.Entry> entries, _, IReadOnlyList<AllowListHosts.AddressRelay> relays) = AllowListHosts.WithAddresses(rules, AllowListUse.HttpProxy);
        return [.. entries.Select(e => e.Section).Concat(relays.Select(r => r.Section)).Distinct()];
    }

    public int RelayAddresses(RuleSet rules) => AllowListHosts.WithAddresses(rules, AllowListUse.HttpProxy).Addresses.DistinctBy(r => r.Address).Count();

    // Datadog's names hold letters, digits, dots and hyphens: only the dots need escaping in a regular expression.
    private static string Regex(string suffix) => suffix.Replace(".", "\\.", StringComparison.Ordinal);
}
