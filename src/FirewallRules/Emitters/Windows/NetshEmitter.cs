using System.Globalization;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Windows;

/// <summary>
/// Format <c>windows-netsh</c>: Windows Firewall rules as a netsh script, for hosts without the NetSecurity
/// PowerShell module. Run it elevated with <c>netsh -f FILE</c> (or <c>netsh exec FILE</c>).
/// </summary>
/// <remarks>
/// <para>netsh has no rule groups and no wildcard delete, but a rule name need not be unique, and
/// <c>delete rule name=...</c> removes every rule of that name. So every rule the script adds has the same name,
/// <c>&lt;name&gt; (FirewallRules)</c>, made from the validated <see cref="EmitterOptions.Name"/> only (the rule
/// group of the <c>windows</c> format, <see cref="WindowsFirewallEmitter"/>), and the script owns that name: it
/// first deletes every rule of it, whatever their port, protocol, direction or family, so nothing an earlier
/// run added is left behind, then adds the new rules. Outputs meant to coexist need different names. Between
/// the delete and the adds the rules are absent for a moment: the <c>windows</c> format replaces them without
/// that gap.</para>
/// <para>Each rule's description says which rule of the set it renders, e.g.
/// <c>egress-tcp-443 IPv4 1/2: allow egress to 443/tcp for logs</c>, then where its prefixes came from. With
/// <see cref="EmitterOptions.Comments"/> off the header and that provenance are left out, not the rest.</para>
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
    private readonly WindowsFirewallOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">Names, families, prefix budget and split size; the defaults when null.</param>
    public NetshEmitter(WindowsFirewallOptions? options = null) => _options = options ?? new WindowsFirewallOptions();

    /// <inheritdoc/>
    public string Format => "windows-netsh";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "Windows Firewall netsh script: run it elevated with netsh -f FILE; deletes every rule of its name, then adds";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">Nothing is left to allow in the chosen families, or two rules share a name.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        RuleSet prepared = rules.Rules;
        // Built from the validated name only, and quoted: the space and parentheses stay inside the quotes.
        string name = _options.OwnedName;
        // Planned whole before the first character is written: a prefix too long for a line refuses.
        var planned = new List<(string Head, IReadOnlyList<WindowsRulePart> Parts)>();
        foreach (FirewallRule rule in WindowsRuleSplitter.UniquelyNamed(prepared))
        {
            // A part's line without its addresses tells the room left for them. Only the part numbers in the
            // description change its width, and none is wider than the rule's prefix count.
            string head = Head(name, rule);
            int widest = rule.Prefixes.Count;
            int room = MaxLineLength - head.Length - Tail(rule, AddressFamilies.IPv4, widest, widest, prepared.Provenance).Length;
            planned.Add((head, WindowsRuleSplitter.Split(rule, _options.MaxAddressesPerRule, room)));
        }

        if (_options.Comments)
        {
            WriteHeader(output, prepared, name);
        }

        output.WriteLine("pushd advfirewall firewall");
        // Every rule of the name, of any port, protocol, direction and family: the sections, ports and families
        // may have changed since the run that added them.
        output.WriteLine($"delete rule name=\"{name}\"");
        foreach ((string head, IReadOnlyList<WindowsRulePart> parts) in planned)
        {
            foreach (WindowsRulePart part in parts)
            {
                // The addresses go from the numbers straight to the output, between the line's two halves.
                output.Write(head);
                part.WriteAddresses(output, string.Empty, ",");
                output.WriteLine(Tail(part.Rule, part.Family, part.Number, part.Count, prepared.Provenance));
            }
        }

        output.WriteLine("popd");
    }

    // An add line up to its addresses: the same for every part of a rule.
    private static string Head(string name, FirewallRule rule) => string.Create(CultureInfo.InvariantCulture,
        $"add rule name=\"{name}\" dir={(rule.Direction == Direction.Egress ? "out" : "in")} " +
        $"action={(rule.Action == RuleAction.Allow ? "allow" : "block")} protocol={rule.Port.Protocol.Keyword()}"
        // The port is the destination: the remote service for egress, the local listener for ingress.
        + $" {(rule.Direction == Direction.Egress ? "remoteport" : "localport")}={rule.Port.Text()} remoteip=");

    // An add line after its addresses: the description of part number of count.
    private string Tail(FirewallRule rule, AddressFamilies family, int number, int count, RuleSetProvenance provenance)
    {
        // The rules share one name, so the description identifies each; it comes first so the cap never cuts it.
        string description = NetshText.Value(string.Create(CultureInfo.InvariantCulture,
            $"{rule.Name} {family.Label()} {number}/{count}: {(_options.Comments ? WindowsRulePart.Describe(rule, provenance) : rule.Description)}"),
            MaxDescriptionLength);
        return $" description=\"{description}\"";
    }

    private void WriteHeader(TextWriter output, RuleSet prepared, string name)
    {
        output.WriteLine("# Windows Firewall rules for Datadog's IP ranges: a netsh script.");
        foreach (string line in prepared.Describe())
        {
            output.WriteLine(ScriptText.Comment(line));
        }

        output.WriteLine("#");
        output.WriteLine("# Run it from an elevated prompt: netsh -f FILE");
        output.WriteLine(ScriptText.Comment($"Every rule it adds is named \"{name}\", and it owns that name: it first deletes every rule"));
        output.WriteLine("# so named, whatever its port, protocol or direction, so nothing an earlier run added is left behind, then adds");
        output.WriteLine("# the rules below (netsh reports \"No rules match the specified criteria.\" when there was none). Scripts meant");
        output.WriteLine("# to coexist need different names. The rules are absent for a moment between the delete and the adds; the");
        output.WriteLine("# windows (PowerShell) format replaces them without a gap.");
        output.WriteLine(ScriptText.Comment($"List them with: netsh advfirewall firewall show rule name=\"{name}\" verbose"));
        output.WriteLine("# Each rule's description says which rule of the set it is, e.g. egress-tcp-443 IPv4 1/2.");
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
