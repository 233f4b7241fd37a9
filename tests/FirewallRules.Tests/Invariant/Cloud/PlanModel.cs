using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// What a plan admits, computed from the plan's inputs by the oracle (<see cref="InvariantPlans"/>: a document's JSON and Datadog's
/// documented ports, or an agent's configuration read by <see cref="Oracle.AgentOracle"/>), never from the library's rules, with
/// membership by IPNetwork2: the reference every rendered document is compared with. Each rule: direction, action, protocol, port
/// range, prefixes, whether it closes its port.
/// </summary>
/// <remarks>
/// A direction the set has a rule in is governed: in it, a packet is admitted when an allow rule holds its protocol, port and
/// remote address and no deny rule does; nothing else is. A direction with no rule is not governed: the set says nothing of it.
/// A rule that closes its port says that no other remote address may use that port in its direction.
/// </remarks>
internal sealed class PlanModel
{
    private PlanModel(IReadOnlyList<ModelRule> rules) => Rules = rules;

    /// <summary>The rules, each prefix as IPNetwork2 read its text.</summary>
    public IReadOnlyList<ModelRule> Rules { get; }

    /// <summary>The model of these rules: the oracle's, computed from the plan's inputs (never from the library's rules).</summary>
    public static PlanModel Of(IReadOnlyList<ModelRule> rules) => new(rules);

    public bool Governs(Direction direction) => Rules.Any(r => r.Direction == direction);

    public bool Admits(Packet packet) =>
        Rules.Any(r => r.Allow && r.Matches(packet)) && !Rules.Any(r => !r.Allow && r.Matches(packet));

    /// <summary>Whether a rule closes the packet's port in its direction: no address outside the rules may use it.</summary>
    public bool Closes(Packet packet) => Rules.Any(r => r.Closes && r.Direction == packet.Direction && r.HoldsPort(packet));

    /// <summary>Whether any rule names <paramref name="address"/>: what an address list must hold.</summary>
    public bool Holds(IPAddress address) => Rules.Any(r => Net.Any(r.Prefixes, address));

    /// <summary>The plan as a target reads it: each rule mapped, those mapped to nothing dropped.</summary>
    public PlanModel Map(Func<ModelRule, ModelRule?> map) => new([.. Rules.Select(map).OfType<ModelRule>()]);
}

/// <summary>One rule of <see cref="PlanModel"/>.</summary>
internal sealed record ModelRule(
    Direction Direction, bool Allow, TransportProtocol Protocol, int First, int Last, IReadOnlyList<IPNetwork2> Prefixes, bool Closes)
{
    public bool HoldsPort(Packet packet) => packet.Protocol == Protocol && First <= packet.Port && packet.Port <= Last;

    public bool Matches(Packet packet) => packet.Direction == Direction && HoldsPort(packet) && Net.Any(Prefixes, packet.Remote);

    public override string ToString() =>
        $"{Direction} {(Allow ? "allow" : "deny")} {Packet.Keyword(Protocol)} {First}-{Last} [{string.Join(' ', Prefixes)}]{(Closes ? " closes" : "")}";
}
