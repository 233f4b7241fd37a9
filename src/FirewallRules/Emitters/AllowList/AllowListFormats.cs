using FirewallRules.Advice;
using FirewallRules.Cidr;

namespace FirewallRules.Emitters.AllowList;

/// <summary>
/// The name-aware allow-lists as the registry describes them: <c>squid</c> and <c>domains</c>, plain text with no settings
/// of their own. Both hold the list of <see cref="AllowListHosts"/>: every host an agent's plan reaches, or the host names
/// Datadog documents for each section the rules allow outbound, on the rules' ports; what they cannot hold by name
/// (inbound rules, sections without a documented host, raw TCP through a proxy) they list in comments, and the
/// description's warning says so.
/// </summary>
internal static class AllowListFormats
{
    /// <summary>A Squid include: CONNECT to the hosts on their ports, nothing else.</summary>
    public const string Squid = "squid";

    /// <summary>One host name a line with its port and protocol.</summary>
    public const string Domains = "domains";

    private static FormatSetting ProxyClients { get; } = FormatSetting.Names(
        SettingNames.Of<SquidOptions>(nameof(SquidOptions.ProxyClients)), "--proxy-clients", "CIDR", clients => _ = new SquidOptions { ProxyClients = Clients(clients) },
        "squid: allow the agents at these addresses only (repeatable); without it, any client that reaches the include's lines.");

    /// <summary>Adds <c>squid</c> and <c>domains</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new SquidEmitter(SquidOptions.From(o)), d => d with
        {
            Settings = [ProxyClients],
            Configure = arguments => new SquidOptions(arguments.Shared) { ProxyClients = Clients(arguments.Given.Names(ProxyClients) ?? []) },
            Warning = arguments => Joined(
                AllowListHosts.Warning(arguments.Rendered, AllowListUse.HttpProxy, allowsAddresses: true),
                SquidWarnings.SpecialLeftOut(arguments.Rendered, SquidOptions.From(arguments.Options).ProxyClients.Count > 0),
                SquidWarnings.PortsBeforeDenials(arguments.Rendered)),
        })
        .WithBuiltIn(o => new DomainListEmitter(o), d => d with { Warning = arguments => AllowListHosts.Warning(arguments.Rendered, AllowListUse.List) });

    // The agents' addresses, each a prefix as strict as any the tool reads; one that holds IPv4-mapped addresses is refused by the options.
    private static PrefixSet Clients(IReadOnlyList<string> clients)
    {
        try
        {
            return PrefixSet.Parse(string.Join('\n', clients));
        }
        catch (PrefixFormatException ex)
        {
            throw new ArgumentException(ex.Message, nameof(clients), ex);
        }
    }

    private static SettingAdvice? Joined(SettingAdvice? leftOut, params string?[] more)
    {
        string[] lines = [.. more.OfType<string>().Select(Escaped)];
        return lines.Length == 0 ? leftOut
            : new SettingAdvice(string.Join('\n', leftOut is null ? lines : [leftOut.Sentence, .. lines]), [.. leftOut?.Settings ?? []]);
    }

    private static string Escaped(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}
