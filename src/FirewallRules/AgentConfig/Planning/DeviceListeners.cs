using YamlDotNet.RepresentationModel;
using FirewallRules.Intakes;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Network Device Monitoring's listeners, from the configuration template: SNMP traps on
/// <c>network_devices.snmp_traps.port</c> (9162/udp, <c>bind_host</c> 0.0.0.0) and one UDP port per
/// <c>network_devices.netflow.listeners</c> entry (netflow5 and netflow9 2055, ipfix 4739, sflow5 6343; bind 0.0.0.0).
/// Devices on the network send to them, so they bind every address unless a <c>bind_host</c> names one (<see cref="BindAddress"/>).
/// </summary>
internal sealed class DeviceListeners(AgentSettings settings)
{
    public void Plan(Action<string, PortRange, string, string, string> add)
    {
        if (settings.Bool("network_devices.snmp_traps.enabled", false))
        {
            Listener traps = ListenerCatalog.SnmpTraps;
            int port = settings.Port(traps.PortKey, traps.Port, 1);
            string bind = BindAddress.Read(settings, "network_devices.snmp_traps.bind_host", "0.0.0.0", BindForm.HostColonPort);
            add(traps.Feature, new PortRange(TransportProtocol.Udp, port), bind, traps.Purpose, traps.PortKey);
        }

        if (!settings.Bool("network_devices.netflow.enabled", false) || settings.Find("network_devices.netflow.listeners") is not { Value.Node: YamlSequenceNode list } found)
        {
            return;
        }

        foreach (YamlMappingNode item in list.Children.OfType<YamlMappingNode>())
        {
            // A listener may take its fields from another through a merge key (<<: *defaults), as the agent reads it.
            var listener = new Fields(item, found.Value.Origin.File);
            string given = Field(listener, "flow_type") ?? "netflow9";
            string type = ListenerCatalog.FlowPorts.ContainsKey(given) ? given.ToLowerInvariant() : "netflow";
            int port = int.TryParse(Field(listener, "port"), out int number) && number is > 0 and <= 65535
                ? number
                : ListenerCatalog.FlowPorts.GetValueOrDefault(type, ListenerCatalog.NetFlow.Port);
            string bind = Field(listener, "bind_host") is { } written && written.Trim() is { Length: > 0 } host
                ? BindAddress.Check(host, new SettingValue(written, null, found.Value.Origin), $"{found.Name}[].bind_host", BindForm.AddressOnly)
                : "0.0.0.0";

            add($"netflow-{type}", new PortRange(TransportProtocol.Udp, port), bind, $"{type} flows from network devices", ListenerCatalog.NetFlow.PortKey);
        }
    }

    private static string? Field(Fields map, string name) =>
        YamlSettings.Child(map.Node, name, map.File) is YamlScalarNode { Value: string text } ? text : null;

    private readonly record struct Fields(YamlMappingNode Node, string File);
}
