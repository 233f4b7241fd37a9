namespace FirewallRules.Benchmarks.Data;

/// <summary>The inputs every benchmark and the whole-process measurements draw from.</summary>
public enum InputSet
{
    /// <summary>Random IPv4 prefixes, /16 to /32, mostly /24 and /32: little merging.</summary>
    IPv4Random,

    /// <summary>IPv4 /24s and /32s packed side by side with a few gaps and duplicates, shuffled: heavy merging.</summary>
    IPv4Dense,

    /// <summary>Random global unicast IPv6 prefixes, /32 to /128, mostly /48, /64 and /128.</summary>
    IPv6Random,

    /// <summary>Every prefix of the real AWS ip-ranges.json (IPv4 and IPv6).</summary>
    Aws,

    /// <summary>Every address prefix of the real Azure Service Tags file (IPv4 and IPv6).</summary>
    Azure,

    /// <summary>Every prefix of every section of the real Datadog ip-ranges documents.</summary>
    Datadog,
}
