using System.CommandLine;
using System.Text;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules sites</c>: the Datadog sites and where their ip-ranges documents live.</summary>
internal static class SitesCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("sites", """
            List the Datadog sites: the name to pass to --site, the site's domain, and the address of its
            ip-ranges document. --site also accepts the domain, or an https:// URL of a mirror.

            Example:
              fwrules sites
            """);
        command.SetAction(_ =>
        {
            var text = new StringBuilder();
            text.Append($"{"NAME",-9}{"DOMAIN",-20}IP RANGES\n");
            foreach (Site site in Site.All)
            {
                text.Append($"{site.Name.ToLowerInvariant(),-9}{site.Domain,-20}{site.IpRangesUri.AbsoluteUri}\n");
            }

            OutputTarget.WriteText(console, path: null, text.ToString());
            return ExitCode.Success;
        });
        return command;
    }
}
