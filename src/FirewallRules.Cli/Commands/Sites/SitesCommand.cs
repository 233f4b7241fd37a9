using System.CommandLine;
using System.Text;
using FirewallRules.Emitters;
using FirewallRules.PrivateLink;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>fwrules sites [SITE]</c>: the Datadog sites, where their ip-ranges documents live, and how each can be reached
/// privately; with a site, its private endpoints.
/// </summary>
internal static class SitesCommand
{
    public static Command Create(CliConsole console)
    {
        var only = new Argument<string?>("site")
        {
            Description = "Show this site's private endpoints (us1, us3, eu1, ...).",
            Arity = ArgumentArity.ZeroOrOne,
        }.RejectingOptionLikeValues();
        only.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: string text }] && !(Site.TryParse(text, out Site? site) && !site.IsCustom))
            {
                result.AddError($"'{text}' is not a Datadog site: use one of {string.Join(", ", Site.All.Select(s => s.Name.ToLowerInvariant()))}.");
            }
        });
        var command = new Command("sites", """
            List the Datadog sites: the name to pass to --site, the site's domain, the address of its ip-ranges
            document, and its private connectivity (AWS PrivateLink, Azure Private Link, Google Cloud Private
            Service Connect). With a site, list its private endpoints, and where Datadog's documentation sources
            disagree, every value with its source. --site also accepts the domain, or an https:// URL of a mirror.

            Examples:
              fwrules sites
              fwrules sites us1
            """)
        {
            only,
        };
        command.SetAction(parse => Run(parse.GetValue(only) is string name && Site.TryParse(name, out Site? site) ? site : null, console));
        return command;
    }

    /// <summary>Lists every site, or the private endpoints of <paramref name="site"/>.</summary>
    private static int Run(Site? site, CliConsole console)
    {
        OutputTarget.WriteText(console, path: null, site is null ? Table() : Detail(site));
        return ExitCode.Success;
    }

    private static string Table()
    {
        var text = new StringBuilder();
        text.Append($"{"NAME",-9}{"DOMAIN",-20}{"IP RANGES",-37}PRIVATE CONNECTIVITY\n");
        foreach (Site site in Site.All)
        {
            string offering = PrivateLinkCatalog.For(site)?.ToString() ?? "not offered";
            text.Append($"{site.Name.ToLowerInvariant(),-9}{site.Domain,-20}{site.IpRangesUri.AbsoluteUri,-37}{offering}\n");
        }

        return text.ToString();
    }

    private static string Detail(Site site)
    {
        var text = new StringBuilder();
        PrivateConnectivity? offering = PrivateLinkCatalog.For(site);
        if (offering is null)
        {
            text.Append($"{site} offers no private connectivity in Datadog's documentation.\n");
            text.Append($"Private connectivity by site: {PrivateLinkCatalog.DescribeOfferings()}.\n");
            return text.ToString();
        }

        text.Append($"{site}: {offering}\n");
        if (offering.CrossRegionLabel is string label)
        {
            text.Append($"Cross-region endpoints: service region {label}\n");
        }

        AppendEndpoints(text, offering);
        text.Append('\n');
        foreach (DocumentationSource source in offering.Endpoints.SelectMany(e => e.Documented).Select(d => d.Source).Distinct().Order())
        {
            text.Append($"{PrivateLinkCatalog.ShortName(source)}: {PrivateLinkCatalog.Cite(source)}\n");
        }

        if (offering.Endpoints.Any(e => e.SourcesDisagree))
        {
            text.Append("Where the sources disagree, 'fwrules privatelink' needs --prefer endpoint-table or --prefer regions-config; it never guesses.\n");
        }

        string networks = offering.Kind switch
        {
            // The suggested command must run as printed once the prefixes are filled in and one of each a|b chosen: where
            // the sources disagree it needs a choice, and the endpoint table is the newer source.
            PrivateConnectivityKind.AwsPrivateLink => "--agent-network PREFIX --endpoint-subnet PREFIX" +
                (offering.Endpoints.Any(e => e.SourcesDisagree) ? " --prefer endpoint-table" : string.Empty),
            PrivateConnectivityKind.AzurePrivateLink => "--agent-network PREFIX --zone-records wildcard|wildcard-and-apex",
            _ => "--endpoint-subnet PREFIX",
        };
        string formats = string.Join('|', EmitterRegistry.DescribePrivateConnectivity(offering.Kind).WholePlanFormats);
        text.Append($"Generate: fwrules privatelink --site {site.Name.ToLowerInvariant()} {networks} --format {formats}\n");

        return text.ToString();
    }

    /// <summary>One row per documented value of each endpoint, in aligned columns.</summary>
    private static void AppendEndpoints(StringBuilder text, PrivateConnectivity offering)
    {
        string target = offering.Kind switch
        {
            PrivateConnectivityKind.AwsPrivateLink => "ENDPOINT SERVICE",
            PrivateConnectivityKind.AzurePrivateLink => "SERVICE ALIAS",
            _ => "PSC TARGET",
        };
        var rows = new List<string[]> { new[] { "SERVICE", target, "PRIVATE DNS NAME", "SOURCE" } };
        foreach (PrivateEndpoint endpoint in offering.Endpoints)
        {
            string service = offering.Kind == PrivateConnectivityKind.AwsPrivateLink ? PrivateLinkCatalog.GetKey(endpoint.Service!.Value) : endpoint.Label;
            rows.AddRange(endpoint.Documented.Select((value, i) => new[]
            {
                i == 0 ? service : string.Empty,
                value.Target,
                value.PrivateDnsName,
                PrivateLinkCatalog.ShortName(value.Source) + (endpoint.SourcesDisagree ? " (sources disagree)" : string.Empty),
            }));
        }

        TextTable.Append(text, rows);
    }
}
