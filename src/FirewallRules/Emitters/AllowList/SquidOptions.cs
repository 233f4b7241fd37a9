namespace FirewallRules.Emitters.AllowList;

/// <summary>Options for the <c>squid</c> include.</summary>
/// <remarks>
/// The include defines acls of its own only (named after <see cref="EmitterOptions.Name"/>) and touches no shared one
/// (<c>SSL_ports</c>, <c>Safe_ports</c>, <c>localnet</c>): what it does not allow meets squid.conf's rules as before.
/// </remarks>
public sealed class SquidOptions : EmitterOptions
{
    private readonly PrefixSet _proxyClients = PrefixSet.Empty;

    /// <summary>Creates options with the defaults.</summary>
    public SquidOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>.</summary>
    public SquidOptions(EmitterOptions shared)
        : base(shared)
    {
    }

    /// <summary>
    /// The agents' addresses: every <c>http_access allow</c> line of the include admits requests from these clients only (an
    /// <c>acl … src</c> of them), so that no other client of the proxy gains a destination.
    /// </summary>
    /// <value>
    /// Empty: any client that squid.conf lets reach the include's lines. The destinations are the agent's plan only (Datadog's
    /// hosts and the configuration's relays, on their ports), and which clients reach the proxy at all is squid.conf's
    /// <c>http_port</c> and the host's firewall; name the agents to be exact.
    /// </value>
    /// <exception cref="ArgumentException">A prefix holds IPv4-mapped addresses (<c>::ffff:0:0/96</c>), which Squid matches against IPv4 clients.</exception>
    public PrefixSet ProxyClients
    {
        get => _proxyClients;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Intersect(Mapped).Count > 0)
            {
                throw new ArgumentException(
                    $"{string.Join(", ", value.IPv6.Where(p => PrefixSet.Create([p]).Intersect(Mapped).Count > 0))} holds IPv4-mapped addresses (::ffff:0:0/96), " +
                    "which Squid matches against IPv4 clients: give IPv4 prefixes as IPv4, and IPv6 ones outside ::ffff:0:0/96", nameof(value));
            }

            _proxyClients = value;
        }
    }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static SquidOptions From(EmitterOptions options) => options as SquidOptions ?? new(options);

    private static PrefixSet Mapped { get; } = PrefixSet.Parse("::ffff:0:0/96");
}
