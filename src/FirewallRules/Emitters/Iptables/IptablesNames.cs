using System.Diagnostics;
using System.Globalization;
using FirewallRules.Advice;
using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>Chain and set names, built only from the validated name prefix and the rule's direction, port and family.</summary>
internal static class IptablesNames
{
    /// <summary>ipset's limit (IPSET_MAXNAMELEN is 32 with the terminating zero).</summary>
    public const int MaxSetLength = 31;

    private const string TemporarySuffix = "-tmp";

    /// <summary><c>{Name}-egress</c> or <c>{Name}-ingress</c>: at most 20 + 8 = 28 characters, iptables' limit.</summary>
    public static string Chain(EmitterOptions options, Direction direction)
    {
        string chain = $"{options.Name}-{direction.Keyword()}";
        Debug.Assert(chain.Length <= 28, "EmitterOptions.Name is at most 20 characters");
        return chain;
    }

    /// <summary>
    /// The set a rule matches for one family, e.g. <c>datadog-e443-tcp4</c> or <c>datadog-i8000-8100-udp6</c>:
    /// stable across updates, so rules keep pointing at it while its content is swapped.
    /// </summary>
    public static string Set(EmitterOptions options, FirewallRule rule, AddressFamilies family)
    {
        PortRange port = rule.Port;
        string ports = port.IsSinglePort
            ? port.First.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{port.First}-{port.Last}");
        return $"{options.Name}-{(rule.Direction == Direction.Egress ? 'e' : 'i')}{ports}-{port.Protocol.Keyword()}{(family == AddressFamilies.IPv4 ? '4' : '6')}";
    }

    /// <summary>Checks that every set of <paramref name="prepared"/>, and its temporary twin, fits ipset's 31 characters.</summary>
    /// <exception cref="RuleGenerationException">One does not; the message says how long the name prefix may be.</exception>
    public static void RequireSetsFit(EmitterOptions options, RuleSet prepared)
    {
        string longest = prepared.Rules.Select(rule => Set(options, rule, AddressFamilies.IPv6)).MaxBy(set => set.Length)!;
        int excess = TemporarySet(longest).Length - MaxSetLength;
        if (excess > 0)
        {
            throw new RuleGenerationException(
                $"ipset name '{TemporarySet(longest)}' is longer than ipset's {MaxSetLength} characters",
                new SettingAdvice($"use a name prefix ({{0}}) of at most {options.Name.Length - excess} characters", SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.Name))));
        }
    }

    /// <summary>The set a new list is loaded into before it is swapped with <see cref="Set"/>.</summary>
    public static string TemporarySet(string set) => set + TemporarySuffix;

    /// <summary>The iptables command of a family.</summary>
    public static string Command(AddressFamilies family) => family == AddressFamilies.IPv4 ? "iptables" : "ip6tables";

    /// <summary>The chain that jumps to ours for <paramref name="direction"/>.</summary>
    public static string Hook(IptablesEmitterOptions options, Direction direction) =>
        direction == Direction.Egress ? options.EgressHook : options.IngressHook;

    /// <summary>The idempotent command that installs the jump into our chain: check first, insert only when missing.</summary>
    public static string JumpCommand(IptablesEmitterOptions options, Direction direction, AddressFamilies family)
    {
        string command = Command(family), hook = Hook(options, direction), chain = Chain(options, direction);
        return $"{command} -w -C {hook} -j {chain} 2>/dev/null || {command} -w -I {hook} -j {chain}";
    }

    /// <summary>The script format's name: <c>iptables-ipset-script</c>, or <c>iptables-script</c> without ipsets.</summary>
    public static string ScriptFormat(bool useIpset) => useIpset ? "iptables-ipset-script" : "iptables-script";

    /// <summary>
    /// The families that get chains: those asked for that the rules hold prefixes of (one iptables command each).
    /// </summary>
    /// <exception cref="RuleGenerationException">A family asked for has no prefix while the rules close ports.</exception>
    public static AddressFamilies[] RenderedFamilies(PreparedRules rules)
    {
        RuleSet prepared = rules.Rules;
        AddressFamilies[] families = NetfilterText.SingleFamilies
            .Where(f => rules.Families.HasFlag(f) && prepared.Rules.Any(rule => !NetfilterText.OfFamily(rule.Prefixes, f).IsEmpty))
            .ToArray();

        // A family the rules have no prefix of gets no chain, so it would keep the closed ports open.
        AddressFamilies[] unrendered = NetfilterText.SingleFamilies.Where(f => rules.Families.HasFlag(f) && !families.Contains(f)).ToArray();
        if (prepared.ClosedPorts.Count > 0 && unrendered is [AddressFamilies open, ..])
        {
            throw new RuleGenerationException(
                $"the rules close {string.Join(", ", prepared.ClosedPorts.Select(c => c.Port).Distinct())} but hold no {open.Label()} prefix, " +
                $"so {IptablesNames.Command(open)} would leave them open: add one (127.0.0.1/32, ::1/128) or limit the output to the other family");
        }

        return families;
    }
}
