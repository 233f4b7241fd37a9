using System.Globalization;
using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// Format <c>windows-netsh</c>: Windows Firewall rules as a netsh script, for hosts without the NetSecurity
/// PowerShell module. Run it elevated with <c>netsh -f FILE</c> (or <c>netsh exec FILE</c>).
/// </summary>
/// <remarks>
/// <para>netsh has no rule groups and no wildcard delete. Every rule name is
/// <c>&lt;name&gt;-&lt;direction&gt;-&lt;protocol&gt;-&lt;port&gt;-&lt;ipv4|ipv6&gt;-&lt;nn&gt;</c>, and the script
/// first deletes every such name up to <see cref="NetshOptions.MaxRulesPerFamily"/> for each rule of the set,
/// so a run that needs fewer parts than the last leaves none behind; netsh reports the names not in use as
/// not found. Between the deletes and the adds the rules are absent for a moment: the <c>windows</c> format
/// (<see cref="WindowsFirewallEmitter"/>) replaces them without that gap.</para>
/// <para>Each rule holds one address family, at most <see cref="WindowsFirewallOptions.MaxAddressesPerRule"/>
/// prefixes, and fits one cmd.exe line (8191 characters) even prefixed with <c>netsh advfirewall firewall</c>,
/// so each line can also be run on its own. An empty address list is never written, since Windows reads it as
/// any address.</para>
/// <para>Windows applies block rules before allow rules whatever their order, and allows outbound traffic by
/// default: egress allow rules restrict nothing until the profiles block outbound traffic, which the script
/// does not change. Inbound traffic is blocked by default, so an ingress rule that closes its port
/// (<see cref="FirewallRule.ClosesPort"/>) needs no block rule, which would win over the allow and block its
/// addresses too; the header says so. Immutable and thread-safe.</para>
/// </remarks>
public sealed class NetshEmitter : IRuleEmitter
{
    /// <summary>cmd.exe's line limit, less the prefix that runs one script line on its own.</summary>
    internal const int MaxLineLength = 8191 - 27;

    // Descriptions are informative only; a cap keeps the room for addresses predictable.
    private const int MaxDescriptionLength = 200;
    private readonly NetshOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">Names, families, prefix budget, split size and the delete bound; the defaults when null.</param>
    public NetshEmitter(NetshOptions? options = null) => _options = options ?? new NetshOptions();

    /// <inheritdoc/>
    public string Format => "windows-netsh";

    /// <inheritdoc/>
    public string Description => "Windows Firewall netsh script: run it elevated with netsh -f FILE; deletes its previous rules by name, then adds";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">
    /// Nothing is left to allow in the chosen families, two rules share a name, or a rule needs more than
    /// <see cref="NetshOptions.MaxRulesPerFamily"/> parts.
    /// </exception>
    public void Write(RuleSet rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        RuleSet prepared = _options.Prepare(rules);
        var lines = new List<string>();
        foreach (FirewallRule rule in WindowsRuleSplitter.UniquelyNamed(prepared))
        {
            string description = _options.Comments ? NetshText.Value(WindowsRulePart.Describe(rule, prepared.Provenance), MaxDescriptionLength) : string.Empty;
            // Every part's name has the same width, so the line without addresses tells the room left for them.
            int room = MaxLineLength - AddRule(new WindowsRulePart(rule, AddressFamilies.IPv4, 1, 1, []), description).Length;
            foreach (WindowsRulePart part in WindowsRuleSplitter.Split(rule, _options.MaxAddressesPerRule, room))
            {
                if (part.Count > _options.MaxRulesPerFamily)
                {
                    throw new RuleGenerationException(string.Create(CultureInfo.InvariantCulture,
                        $"{rule.Name} needs {part.Count} netsh rules for its {part.FamilyLabel} prefixes, more than the {_options.MaxRulesPerFamily} the script deletes on the next run: raise MaxRulesPerFamily or set a prefix budget"));
                }

                lines.Add(AddRule(part, description));
            }
        }

        if (_options.Comments)
        {
            WriteHeader(output, prepared);
        }

        output.WriteLine("pushd advfirewall firewall");
        // Every name an earlier run could have used for these rules, in either family (the families may have changed since).
        foreach (FirewallRule rule in rules.Rules)
        {
            foreach (AddressFamilies family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 })
            {
                for (int number = 1; number <= _options.MaxRulesPerFamily; number++)
                {
                    output.WriteLine($"delete rule name=\"{WindowsRulePart.NameOf(_options.Name, rule, family, number)}\"");
                }
            }
        }

        foreach (string line in lines)
        {
            output.WriteLine(line);
        }

        output.WriteLine("popd");
    }

    private string AddRule(WindowsRulePart part, string description)
    {
        FirewallRule rule = part.Rule;
        string port = rule.Port.IsSinglePort
            ? rule.Port.First.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{rule.Port.First}-{rule.Port.Last}");
        string line = string.Create(CultureInfo.InvariantCulture,
            $"add rule name=\"{part.Name(_options.Name)}\" dir={(rule.Direction == Direction.Egress ? "out" : "in")} action={(rule.Action == RuleAction.Allow ? "allow" : "block")} protocol={(rule.Port.Protocol == TransportProtocol.Tcp ? "tcp" : "udp")}"
            // The port is the destination: the remote service for egress, the local listener for ingress.
            + $" {(rule.Direction == Direction.Egress ? "remoteport" : "localport")}={port} remoteip={string.Join(',', part.Addresses)}");
        return description.Length == 0 ? line : $"{line} description=\"{description}\"";
    }

    private void WriteHeader(TextWriter output, RuleSet prepared)
    {
        output.WriteLine("# Windows Firewall rules for Datadog's IP ranges: a netsh script.");
        foreach (string line in prepared.Describe())
        {
            output.WriteLine(ScriptText.Comment(line));
        }

        output.WriteLine("#");
        output.WriteLine("# Run it from an elevated prompt: netsh -f FILE");
        output.WriteLine(ScriptText.Comment(string.Create(CultureInfo.InvariantCulture,
            $"netsh has no rule groups: the script first deletes every name it may have used before ({_options.Name}-...-01 to -{_options.MaxRulesPerFamily:D2}),")));
        output.WriteLine("# and netsh reports \"No rules match the specified criteria.\" for those not in use. The rules are absent");
        output.WriteLine("# for a moment between the deletes and the adds; the windows (PowerShell) format replaces them without a gap.");
        output.WriteLine(ScriptText.Comment(string.Create(CultureInfo.InvariantCulture,
            $"Each rule holds one address family, at most {_options.MaxAddressesPerRule} prefixes, and fits one cmd.exe line.")));
        output.WriteLine("# Windows applies block rules before allow rules, whatever their order.");
        if (prepared.Rules.Any(rule => rule.Direction == Direction.Egress && rule.Action == RuleAction.Allow))
        {
            output.WriteLine("# It also allows outbound traffic by default: the egress allow rules restrict nothing until the profiles");
            output.WriteLine("# block it (netsh advfirewall set allprofiles firewallpolicy blockinbound,blockoutbound), which blocks");
            output.WriteLine("# every other outbound connection too. This script does not change it.");
        }

        if (PortClosing.In(prepared, Direction.Ingress) is { Count: > 0 } closed)
        {
            output.WriteLine(ScriptText.Comment($"Closed ports ({string.Join(", ", closed)} inbound): Windows blocks inbound traffic by default, so only"));
            output.WriteLine("# the addresses allowed here reach them while the profiles block inbound traffic (check: netsh advfirewall");
            output.WriteLine("# show allprofiles firewallpolicy). No block rule is added: it would win over the allows and block them too.");
        }
    }
}
