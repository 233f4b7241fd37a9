using System.CommandLine;
using FirewallRules.Ports;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules ports</c>: the documented ports of each agent.</summary>
internal static class PortsCommand
{
    public static Command Create(CliConsole console)
    {
        Option<AgentKind?> agent = CommonOptions.Agent("Only this agent.", "-a");
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
        command.SetAction(parse => Run(parse.GetValue(agent), console));
        return command;
    }

    /// <summary>Lists the ports of <paramref name="only"/>, or of every agent.</summary>
    private static int Run(AgentKind? only, CliConsole console)
    {
        IEnumerable<AgentPort> ports = only is AgentKind agent ? PortCatalog.For(agent) : PortCatalog.All;
        var text = new System.Text.StringBuilder("AGENT       FEATURE           PORT       ROLE      DESCRIPTION\n");
        foreach (AgentPort port in ports)
        {
            string role = port.Role == PortRole.LocalListener ? "listener" : "outbound";
            string detail = port.Description
                + (port.Application is null ? string.Empty : $" [{port.Application}]")
                + (port.DefaultRoute is null ? string.Empty : $" (route {port.DefaultRoute})");
            text.Append($"{port.AgentKey,-11} {port.Feature,-17} {port.Port,-10} {role,-9} {detail}\n");
        }

        OutputTarget.WriteText(console, path: null, text.ToString());
        return ExitCode.Success;
    }
}
