using System.Globalization;
using System.Net;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters.Windows;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>One Windows Firewall rule: direction (<c>in</c>, <c>out</c>), action, protocol, ports (null: any) and remote addresses (null: any).</summary>
internal sealed record WindowsRule(string Name, bool Inbound, bool Allow, string Protocol, string? LocalPorts, string? RemotePorts, IReadOnlyList<string>? Remote);

/// <summary>
/// Windows Firewall with the document's rules (what <c>New-NetFirewallRule</c> or <c>netsh advfirewall firewall add rule</c> creates
/// on a host that held none of them), on a profile whose default inbound and outbound actions are Block, as the scripts' headers
/// require (they warn otherwise): a block rule that matches drops the packet whatever allows it; otherwise an allow rule that matches
/// lets it through; otherwise the default blocks it.
/// </summary>
/// <remarks>
/// A rule matches on direction, protocol (<c>TCP</c>, <c>UDP</c>, <c>Any</c>), the destination port (remote port outbound, local port
/// inbound: a number, a range, a comma list, <c>Any</c>) and the remote address (CIDRs, single addresses, <c>a-b</c> ranges,
/// <c>Any</c>). Left to Windows: loopback, which the firewall does not filter. Not modelled (an error): keywords such as
/// <c>LocalSubnet</c> or <c>Internet</c>, program and service conditions, a source port outbound; other rule groups on the host,
/// IPsec, edge traversal.
/// </remarks>
internal sealed class WindowsAdmission(IReadOnlyList<WindowsRule> rules) : Admission
{
    public override bool Admits(Packet packet)
    {
        if (Unfiltered(packet))
        {
            return true;
        }

        WindowsRule[] matching = [.. rules.Where(r => Matches(r, packet))];
        return matching.Length > 0 && matching.All(r => r.Allow);
    }

    /// <summary>The profile the scripts require: block by default both ways.</summary>
    public override bool Platform(Packet packet) => Unfiltered(packet);

    /// <summary>The rules <c>New-NetFirewallRule</c> creates.</summary>
    public static IReadOnlyList<WindowsRule> FromPowerShell(PowerShellScript script) =>
        [.. script.Invocations("New-NetFirewallRule").Select(FromCommand)];

    private static WindowsRule FromCommand(PowerShellCommand command)
    {
        string? Value(string name) => command.Has(name) ? command[name].Single : null;
        string name = Value("-Name") ?? throw new FormatException("a rule without a name");
        if (Value("-Direction") is not ("Inbound" or "Outbound") || Value("-Action") is not ("Allow" or "Block") || Value("-Enabled") is not (null or "True"))
        {
            throw new FormatException($"{name}: its direction, action or enabled state is not modelled");
        }

        return new WindowsRule(name, Value("-Direction") == "Inbound", Value("-Action") == "Allow", Value("-Protocol") ?? "Any",
            Value("-LocalPort"), Value("-RemotePort"), command.Has("-RemoteAddress") ? command["-RemoteAddress"].Items : null);
    }

    /// <summary>The rules a netsh script leaves on a host that had none of its name.</summary>
    public static IReadOnlyList<WindowsRule> FromNetsh(NetshScript script)
    {
        var firewall = new List<NetshCommand>();
        script.ApplyTo(firewall);
        return [.. firewall.Select(c => new WindowsRule(c["name"], c["dir"] == "in", c["action"] == "allow", c["protocol"],
            c.Has("localport") ? c["localport"] : null, c.Has("remoteport") ? c["remoteport"] : null, c["remoteip"].Split(',')))];
    }

    private static bool Matches(WindowsRule rule, Packet packet)
    {
        if (rule.Inbound != (packet.Direction == Direction.Ingress))
        {
            return false;
        }

        string? port = rule.Inbound ? rule.LocalPorts : rule.RemotePorts;
        string? source = rule.Inbound ? rule.RemotePorts : rule.LocalPorts;
        if (source is not null && !IsAny(source))
        {
            throw new FormatException($"{rule.Name}: a source port ({source}) is not modelled");
        }

        bool protocol = rule.Protocol.ToUpperInvariant() switch
        {
            "ANY" => true,
            "TCP" or "6" => packet.Protocol == TransportProtocol.Tcp,
            "UDP" or "17" => packet.Protocol == TransportProtocol.Udp,
            _ => throw new FormatException($"{rule.Name}: protocol {rule.Protocol} is not modelled"),
        };
        return protocol && (port is null || Port(port, packet.Port)) && (rule.Remote is null || rule.Remote.Any(r => Address(r, packet.Remote)));
    }

    private static bool IsAny(string text) => string.Equals(text, "any", StringComparison.OrdinalIgnoreCase);

    private static bool Port(string ports, int port) => IsAny(ports) || ports.Split(',').Any(range =>
    {
        string[] bounds = range.Trim().Split('-');
        return int.Parse(bounds[0], CultureInfo.InvariantCulture) <= port && port <= int.Parse(bounds[^1], CultureInfo.InvariantCulture);
    });

    private static bool Address(string remote, IPAddress address)
    {
        if (IsAny(remote))
        {
            return true;
        }

        if (remote.Contains('-', StringComparison.Ordinal))
        {
            IEnumerable<IPNetwork2> range = IPNetwork2.ParseRange(remote.Trim());
            return range.Any(n => Net.Contains(n, address));
        }

        return char.IsAsciiDigit(remote.Trim()[0]) || remote.Contains(':', StringComparison.Ordinal)
            ? Net.Contains(Net.Parse(remote), address)
            : throw new FormatException($"remote address keyword {remote} is not modelled");
    }
}
