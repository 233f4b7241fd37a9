using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Cli;

/// <summary>Options several verbs share, defined once so they read and behave the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary>A verb with its help text and options.</summary>
    public static Command Command(string name, string description, IEnumerable<Option> options)
    {
        var command = new Command(name, description);
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        return command;
    }

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

    /// <summary><c>--cache</c>: the snapshot store's directory (every fetched version, and the change notices waiting to be sent).</summary>
    public static Option<string> Cache() => new("--cache")
    {
        Description = "The cache directory; every version is kept there as <domain>/v<version>.json. Default: $XDG_CACHE_HOME/fwrules, else ~/.cache/fwrules.",
        HelpName = "DIR",
        DefaultValueFactory = _ => UserDirectories.Cache,
    };

    /// <summary><c>--name</c>: the prefix of every name an output creates, checked as the emitters check it.</summary>
    public static Option<string> Name(string description, string defaultValue)
    {
        var name = new Option<string>("--name")
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "NAME",
        };
        name.Validators.Add(result =>
        {
            if (!EmitterOptions.IsValidName(result.GetValueOrDefault<string>()))
            {
                result.AddError("--name must be 1 to 20 characters: a letter, then letters, digits, - or _.");
            }
        });
        return name;
    }

    /// <summary><c>--family</c>: ipv4, ipv6 or both.</summary>
    public static Option<AddressFamilies> Family() => new("--family")
    {
        Description = "ipv4, ipv6 or both.",
        DefaultValueFactory = _ => AddressFamilies.Both,
        HelpName = "FAMILY",
        CustomParser = result => result.Tokens[0].Value switch
        {
            "ipv4" => AddressFamilies.IPv4,
            "ipv6" => AddressFamilies.IPv6,
            "both" => AddressFamilies.Both,
            var other => Invalid<AddressFamilies>(result, $"--family must be ipv4, ipv6 or both, not '{other}'."),
        },
    };

    /// <summary>An option taking a duration such as <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>, <c>2w</c> or <c>1h30m</c>.</summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => DurationText.TryParse(result.Tokens[0].Value, out TimeSpan value)
            ? value
            : Invalid<TimeSpan>(result, $"{name} '{result.Tokens[0].Value}' is not a duration: write a number and a unit (s, m, h, d, w), e.g. 90s, 30m, 24h, 7d or 1h30m."),
    };

    /// <summary><c>--notify</c>: where change notices are posted.</summary>
    public static Option<Uri?> Notify() => new("--notify")
    {
        Description = "POST a JSON change notice here when the site's version changes (https://, or http:// to a loopback address); "
            + "one that cannot be delivered is kept in the cache and sent by the next run.",
        HelpName = "URL",
        CustomParser = result => Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            ? uri
            : Invalid<Uri?>(result, $"--notify '{result.Tokens[0].Value}' is not an absolute http(s) URL."),
    };

    /// <summary>Reports a plain-HTTP <c>--base-url</c> to a host that is not loopback, without <c>--allow-http</c>, as a usage error.</summary>
    public static void ValidateBaseUrl(CommandResult result, Option<Site?> baseUrl, Option<bool> allowHttp)
    {
        // From the token: reading the value would throw when its own parser already reported it.
        if (result.GetResult(baseUrl) is { Implicit: false, Tokens: [var token] } && FirewallRules.Site.TryParse(token.Value, out Site? mirror)
            && !IpRangesClient.IsAllowedTransport(mirror.IpRangesUri, result.GetValue(allowHttp)))
        {
            result.AddError($"--base-url {mirror.IpRangesUri}: only https:// is allowed, or plain http:// to a loopback address; pass --allow-http to allow it.");
        }
    }

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

    private static T Invalid<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
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
