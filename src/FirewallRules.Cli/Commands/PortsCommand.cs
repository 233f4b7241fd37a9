using System.CommandLine;
using FirewallRules.Ports;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules ports</c>: the documented ports of each agent.</summary>
internal static class PortsCommand
{
    public static Command Create(CliConsole console)
    {
        var agent = new Option<string?>("--agent", "-a")
        {
            Description = "Only this agent: datadog (v6/v7), datadog-v5 (v5/v4) or datakit.",
            HelpName = "AGENT",
        };
        agent.AcceptOnlyFromAmong("datadog", "datadog-v7", "datadog-v6", "datadog-v5", "datadog-v4", "datakit");
        var command = new Command("ports", """
            List the ports each agent uses: where it connects out, and what it listens on locally.
            Protect the listeners with 'fwrules generate --agent AGENT --format FORMAT'.

            Examples:
              fwrules ports
              fwrules ports --agent datakit
            """)
        {
            agent,
        };
        command.SetAction(parse =>
        {
            IEnumerable<AgentPort> ports = PortCatalog.All;
            if (PortCatalog.TryParseAgent(parse.GetValue(agent), out AgentKind only))
            {
                ports = ports.Where(p => p.Agent == only);
            }

            OutputTarget.Write(console, null, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true) { NewLine = "\n" };
                writer.WriteLine("AGENT       FEATURE           PORT       ROLE      DESCRIPTION");
                foreach (AgentPort port in ports)
                {
                    string role = port.Role == PortRole.LocalListener ? "listener" : "outbound";
                    string detail = port.Description
                        + (port.Application is null ? string.Empty : $" [{port.Application}]")
                        + (port.DefaultRoute is null ? string.Empty : $" (route {port.DefaultRoute})");
                    writer.WriteLine($"{port.AgentKey,-11} {port.Feature,-17} {port.Port,-10} {role,-9} {detail}");
                }
            });
            return ExitCode.Success;
        });
        return command;
    }
}
