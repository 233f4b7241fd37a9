using System.Net;
using System.Net.Sockets;

namespace FirewallRules.Tests.Invariant;

/// <summary>How an output decides what it does not match, which decides what the kernel does with the rest.</summary>
internal enum OutputLayout
{
    /// <summary>A table of its own with policy accept (nftables): it accepts, and drops only deny rules' and closed ports' traffic.</summary>
    OwnTable,

    /// <summary>nftables-strict: as <see cref="OwnTable"/>, and other new connections to its allowed ports are dropped, loopback excepted.</summary>
    StrictTable,

    /// <summary>Chains the user's policy jumps to (nftables-chain, iptables, ipset, the scripts): the rest returns to that policy.</summary>
    JumpedTo,
}

/// <summary>What the kernel did with a probe.</summary>
internal enum Outcome
{
    /// <summary>The packet never passed the hooks.</summary>
    Dropped,

    /// <summary>Passed: accepted by the output, or by a policy that accepts what it does not match.</summary>
    Admitted,

    /// <summary>Passed to a loopback destination by the user policy's loopback exception (marked), after the output returned it.</summary>
    AdmittedByLoopbackPolicy,
}

/// <summary>
/// The default policy an output that returns unmatched traffic (<see cref="OutputLayout.JumpedTo"/>) is paired with, in the shape its
/// header describes: a base chain per hook with this policy that jumps to the output's chain first; the output hook then accepts
/// loopback traffic the output returned, marked 1, so that the host's own clients reach its listeners and the probes still tell what
/// the output itself accepted (mark 0).
/// </summary>
/// <param name="DropsEgress">Policy drop at the output hook (an egress allow-list), else accept.</param>
/// <param name="DropsIngress">Policy drop at the input hook, else accept (listener protections on an open host).</param>
internal sealed record UserPolicy(bool DropsEgress, bool DropsIngress)
{
    public override string ToString() => $"user policy: output {(DropsEgress ? "drop" : "accept")}, input {(DropsIngress ? "drop" : "accept")}";
}

/// <summary>
/// One rule of a plan as the model reads it from the plan's own inputs (the document's prefixes, the relay's address, the networks
/// given): a direction, a verdict, a protocol and port range, the networks, and whether the port is closed to everyone else.
/// Membership is IPNetwork2's, never the library's.
/// </summary>
internal sealed record ModelRule(bool Egress, bool Allow, string Protocol, int FirstPort, int LastPort, IReadOnlyList<IPNetwork2> Networks, bool ClosesPort, string Source)
{
    public bool On(string protocol, int port) => protocol == Protocol && port >= FirstPort && port <= LastPort;

    public bool Holds(IPAddress address) => Networks.Any(n => n.AddressFamily == address.AddressFamily && n.Contains(address));

    public string Ports => FirstPort == LastPort ? $"{FirstPort}/{Protocol}" : $"{FirstPort}-{LastPort}/{Protocol}";
}

/// <summary>
/// A plan (sections, ports, relays given by address, listeners and the networks they are opened to), the <c>fwrules generate</c>
/// arguments that render it, and the model of what the kernel must admit once an output of it is loaded: exactly the plan.
/// </summary>
/// <param name="Title">What the plan is, for messages.</param>
/// <param name="Rules">The plan's rules, in the families asked for.</param>
/// <param name="Families">The families the outputs render (<c>--family</c>).</param>
/// <param name="Policy">The user policy paired with outputs that return unmatched traffic.</param>
/// <param name="Arguments">The generate arguments after <c>-f FORMAT</c>, without <c>--family</c>.</param>
/// <param name="AgentConfig">The agent's configuration, for an agent plan: what reproduces it.</param>
internal sealed record AdmissionPlan(
    string Title, IReadOnlyList<ModelRule> Rules, IReadOnlyList<AddressFamily> Families, UserPolicy Policy, IReadOnlyList<string> Arguments, string? AgentConfig)
{
    /// <summary>Whether the plan has a rule with networks of <paramref name="family"/>.</summary>
    public bool Has(AddressFamily family) => Rules.Any(r => r.Networks.Any(n => n.AddressFamily == family));

    /// <summary>The <c>--family</c> argument of a plan limited to one family, else none.</summary>
    public IReadOnlyList<string> FamilyArguments => Families.Count == 1 ? ["--family", Families[0] == AddressFamily.InterNetwork ? "ipv4" : "ipv6"] : [];

    /// <summary>
    /// What the kernel must do with <paramref name="probe"/> when an output of this plan with <paramref name="layout"/> is loaded (and, for
    /// <see cref="OutputLayout.JumpedTo"/>, <see cref="Policy"/>). A client on this host passes the output hook first, then the input hook.
    /// </summary>
    public Outcome Expect(Probe probe, OutputLayout layout)
    {
        Outcome egress = probe.Side == ProbeSide.PeerClient ? Outcome.Admitted : Decide(egress: true, probe.Destination, probe, layout);
        if (probe.Side == ProbeSide.Egress || egress == Outcome.Dropped)
        {
            return egress;
        }

        return Decide(egress: false, probe.Source!, probe, layout) == Outcome.Dropped ? Outcome.Dropped : Outcome.Admitted;
    }

    /// <summary>
    /// One hook's decision on the traffic to or from <paramref name="remote"/>, as the formats document it: an allowed address passes; a
    /// closed port drops every other; the strict table lets loopback through before its deny rules and its drop of other new
    /// connections on the ports it allows; the rest is the own table's policy accept or the user's policy. Only the families rendered
    /// are matched: the other family is the policy's.
    /// </summary>
    private Outcome Decide(bool egress, IPAddress remote, Probe probe, OutputLayout layout)
    {
        ModelRule[] here = [.. Rules.Where(r => r.Egress == egress && r.On(probe.Protocol, probe.Port))];
        if (Families.Contains(remote.AddressFamily))
        {
            bool strict = layout == OutputLayout.StrictTable;
            if (here.Any(r => r.Allow && r.Holds(remote)))
            {
                return Outcome.Admitted;
            }

            if (here.Any(r => r.ClosesPort))
            {
                return Outcome.Dropped;
            }

            if (strict && probe.ViaLoopback)
            {
                return Outcome.Admitted;
            }

            if (here.Any(r => !r.Allow && r.Holds(remote)) || (strict && here.Any(r => r.Allow)))
            {
                return Outcome.Dropped;
            }
        }

        if (layout != OutputLayout.JumpedTo)
        {
            return Outcome.Admitted;
        }

        return egress && probe.ViaLoopback ? Outcome.AdmittedByLoopbackPolicy
            : (egress ? Policy.DropsEgress : Policy.DropsIngress) ? Outcome.Dropped : Outcome.Admitted;
    }

    /// <summary>The plan's rules, one a line, for messages.</summary>
    public string Describe() => string.Join("\n", Rules.Select(r =>
        $"    {(r.Egress ? "egress" : "ingress")} {(r.Allow ? "allow" : "deny")} {r.Ports}{(r.ClosesPort ? " (closed to others)" : string.Empty)} " +
        $"{r.Source}: {Abbreviated(r.Networks)}"));

    private static string Abbreviated(IReadOnlyList<IPNetwork2> networks) =>
        string.Join(" ", networks.Take(6)) + (networks.Count > 6 ? $" ... ({networks.Count} networks)" : string.Empty);
}
