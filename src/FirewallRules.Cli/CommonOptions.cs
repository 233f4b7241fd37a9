using System.CommandLine;
using System.CommandLine.Parsing;

namespace FirewallRules.Cli;

/// <summary>Options several verbs share, defined once so they read and behave the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print no summary or progress on stderr (errors are still printed).",
        Recursive = true,
    };

    public static Option<string?> Output() => new("--output", "-o")
    {
        Description = "Write the result to FILE (replaced atomically) instead of standard output.",
        HelpName = "FILE",
    };

    /// <summary><c>--site</c>: a Datadog site by name or domain; US1 when not given.</summary>
    public static Option<Site> Site(params string[] aliases) => new("--site", aliases)
    {
        Description = "The Datadog site: us1, us3, us5, eu1, ap1, ap2, uk1, us1-fed, us2-fed, or its domain (see 'fwrules sites').",
        HelpName = "SITE",
        DefaultValueFactory = _ => FirewallRules.Site.US1,
        CustomParser = result => ParseSite(result, FirewallRules.Site.TryParse(result.Tokens[0].Value, out Site? parsed) ? parsed : null),
    };

    /// <summary><c>--base-url</c>: a mirror or proxy serving the same documents; overrides <c>--site</c>.</summary>
    public static Option<Site?> BaseUrl() => new("--base-url")
    {
        Description = "Fetch from this mirror or proxy instead (https://, or http:// to a loopback address); overrides --site.",
        HelpName = "URL",
        CustomParser = result => ParseSite(result, Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out Uri? uri) && FirewallRules.Site.TryParse(uri.AbsoluteUri, out Site? parsed) ? parsed : null),
    };

    /// <summary><c>--retries</c>: how often a failed request is retried before the tool gives up with exit code 3.</summary>
    public static Option<int> Retries()
    {
        var retries = new Option<int>("--retries")
        {
            Description = "Retry a failed request up to N times, with growing waits (0 to 10).",
            HelpName = "N",
            DefaultValueFactory = _ => 3,
        };
        retries.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 10)
            {
                result.AddError("--retries must be between 0 and 10.");
            }
        });
        return retries;
    }

    /// <summary><c>--allow-http</c>: permits a plain http:// mirror that is not on loopback.</summary>
    public static Option<bool> AllowHttp() => new("--allow-http")
    {
        Description = "Allow a plain http:// --base-url that is not a loopback address (nothing protects the document in transit).",
    };

    /// <summary>
    /// Whether <paramref name="option"/> was given on the command line, for checks across options. Reading
    /// the value instead would run its parser, which throws for a value it already reported as wrong.
    /// </summary>
    public static bool IsGiven(this System.CommandLine.Parsing.CommandResult result, Option option) =>
        result.GetResult(option) is { Implicit: false };

    /// <summary>Reports a value starting with '-' as an unknown option; without this, a mistyped option would be read as a file name.</summary>
    public static TArgument RejectingOptionLikeValues<TArgument>(this TArgument argument)
        where TArgument : Argument
    {
        argument.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: { Length: > 1 } value }] && value.StartsWith('-'))
            {
                result.AddError($"Unknown option '{value}'.");
            }
        });
        return argument;
    }

    private static Site? ParseSite(ArgumentResult result, Site? parsed)
    {
        if (parsed is null)
        {
            result.AddError($"'{result.Tokens[0].Value}' is not a site or an http(s) URL; see 'fwrules sites'.");
        }

        return parsed;
    }
}
