using System.Globalization;
using System.Net;
using System.Text;
using FirewallRules.Cidr;

namespace FirewallRules.Emitters.AllowList;

/// <summary>
/// What the <c>squid</c> include does about special-purpose destinations (<see cref="SpecialAddresses"/>: loopback, link-local and
/// the metadata services, documentation, multicast, ...). Squid resolves a name itself and connects where it points, and a name can
/// point anywhere (public wildcard DNS: <c>169.254.169.254.nip.io</c> is that address; the proxy host's /etc/hosts: Debian's
/// <c>127.0.1.1 HOSTNAME</c>): so an acl of every special block is negated on every allow line, and no planned name reaches one.
/// A relay the configuration names at a special address on purpose (<c>--allow-special-relay</c>) is the agent's host's: a loopback
/// one is never allowed through the proxy (there it would be the proxy's own loopback), any other only to the agents the include
/// names (<see cref="SquidOptions.ProxyClients"/>), never to every client.
/// </summary>
internal static class SquidSpecialDestinations
{
    /// <summary>How many blocks one acl line names.</summary>
    private const int BlocksPerLine = 16;

    // Squid holds every address as IPv6, IPv4 ones mapped (::ffff:a.b.c.d): this block in a dst acl would match every IPv4
    // destination. The IPv4 special blocks stand for it.
    private static readonly PrefixSet Mapped = PrefixSet.Parse("::ffff:0:0/96");

    /// <summary>The blocks the acl names: every special address, the IPv4-mapped block aside.</summary>
    public static PrefixSet Blocks { get; } = SpecialAddresses.All.Except(Mapped);

    /// <summary>The acl's name in an include named <paramref name="name"/>.</summary>
    public static string Acl(string name) => $"{name}_special_dst";

    /// <summary>The <c>acl NAME_special_dst dst ...</c> lines: every special block, a few to a line.</summary>
    public static string AclLines(string name)
    {
        var lines = new StringBuilder();
        foreach (IPNetwork[] chunk in Blocks.Chunk(BlocksPerLine))
        {
            lines.Append(CultureInfo.InvariantCulture, $"acl {Acl(name)} dst {string.Join(' ', chunk)}\n");
        }

        return lines.ToString();
    }

    /// <summary>Whether a relay's address is special (allowed on purpose, or it would not be in the plan).</summary>
    public static bool IsSpecial(IPAddress address) => SpecialAddresses.Find(address) is not null;

    /// <summary>
    /// The names and relays the include allows, and why it leaves out the others: a planned name that is itself special
    /// (<c>localhost</c>, named on purpose) and a relay at a loopback address always, a relay at another special address unless
    /// the include names its clients (<paramref name="clientsNamed"/>).
    /// </summary>
    public static (AllowListHosts.Entry[] Names, AllowListHosts.AddressRelay[] Relays, string[] LeftOut) Split(
        IReadOnlyList<AllowListHosts.Entry> names, IReadOnlyList<AllowListHosts.AddressRelay> relays, bool clientsNamed)
    {
        var leftOut = new List<string>();
        AllowListHosts.Entry[] allowedNames = [.. names.Where(e => Keep(SpecialAddresses.FindName(e.Name), $"{e.Name} {e.Port} ({e.Section})", clientsNamed: false, leftOut))];
        AllowListHosts.AddressRelay[] allowedRelays = [.. relays.Where(r => Keep(SpecialAddresses.Find(r.Address), $"{r.Address} {r.Port} ({r.Section})", clientsNamed, leftOut))];
        return (allowedNames, allowedRelays, [.. leftOut.Distinct()]);
    }

    private static bool Keep(SpecialAddresses.Entry? special, string shown, bool clientsNamed, List<string> leftOut)
    {
        string? why = special is null ? null : Why(shown, special, clientsNamed);
        if (why is not null)
        {
            leftOut.Add(why);
        }

        return why is null;
    }

    private static string? Why(string shown, SpecialAddresses.Entry special, bool clientsNamed) =>
        special.IsLoopback
            ? $"{shown}: on the agent's own host (loopback): through the proxy it would be the proxy's own loopback, so the include never allows it; " +
              "the agent reaches it directly (no_proxy)"
            : clientsNamed ? null
            : $"{shown}: special-purpose ({special.Name}): allowed through the proxy only when the include names the agents as its clients, never to every client";
}
