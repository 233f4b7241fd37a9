namespace FirewallRules.Verification;

/// <summary>What became of one TCP connection attempt from this host's network namespace.</summary>
internal enum ConnectOutcome
{
    /// <summary>The handshake completed: every firewall on the way let the SYN out and the answer in.</summary>
    Connected,

    /// <summary>A reset came back: a reject rule on this host or on the way, or nothing listening.</summary>
    Refused,

    /// <summary>Nothing came back in time: the SYN or its answer was dropped (on this host or on the way).</summary>
    NoAnswer,

    /// <summary>The kernel has no route to the address, or an ICMP unreachable came back.</summary>
    NoRoute,

    /// <summary>The kernel would not send it (EPERM or EACCES from a local policy).</summary>
    Denied,
}
