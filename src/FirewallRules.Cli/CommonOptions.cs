using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using FirewallRules.Emitters;
using FirewallRules.Fetching;
using FirewallRules.Intakes;
using FirewallRules.IO;
using FirewallRules.Ports;
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
        Description = "Print only the result asked for (rules, a plan, a dry run's changes) and errors: no summary, progress, note or advice. "
            + "Warnings of an error's kind stay: rules left out, a refusal overridden, an input fwrules cannot vouch for (a cache, state, clock or "
            + "first document); sync and fetch print nothing when they succeed and trust all they read.",
        Recursive = true,
    };

    public static Option<string?> Output() => new Option<string?>("--output", "-o")
    {
        Description = "Write the result to FILE (replaced atomically) instead of standard output.",
        HelpName = "FILE",
    }.NamingA("file", "'-' for standard output");

    /// <summary>
    /// Refuses a value that names nothing: empty or only blanks, what an unset variable gives (<c>--cache "$DIR"</c>), as a
    /// usage error naming the option and what it takes (<c>--cache needs a directory name.</c>), where the value would
    /// otherwise reach the file system as a path. <paramref name="dash"/> says what '-' stands for, where it stands for a stream.
    /// </summary>
    public static Option<T> NamingA<T>(this Option<T> option, string kind, string? dash = null)
    {
        option.Validators.Add(result => RefuseBlank(result, result.Tokens, option.Name, kind, dash));
        return option;
    }

    /// <inheritdoc cref="NamingA{T}(Option{T}, string, string?)"/>
    public static Argument<T> NamingA<T>(this Argument<T> argument, string kind, string? dash = null)
    {
        argument.Validators.Add(result => RefuseBlank(result, result.Tokens, argument.Name, kind, dash));
        return argument;
    }

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
        Description = "Fetch from this mirror or proxy instead: the URL that answers with the document (a directory such as "
            + "fwrules serve's /v1/us1/, or a file ending in .json), https://, or http:// to a loopback address; overrides --site.",
        HelpName = "URL",
        CustomParser = result => ParseSite(
            result,
            Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out Uri? uri) && FirewallRules.Site.TryParse(uri.AbsoluteUri, out Site? parsed) ? parsed : null),
    };

    /// <summary><c>--cache</c>: the snapshot store's directory (every fetched version, and the change notices waiting to be sent).</summary>
    public static Option<string> Cache() => new Option<string>("--cache")
    {
        Description = "The cache directory; every version is kept there as <domain>/v<version>.json. Default: $XDG_CACHE_HOME/fwrules, else ~/.cache/fwrules.",
        HelpName = "DIR",
        DefaultValueFactory = _ => UserDirectories.Cache,
    }.NamingA("directory");

    /// <summary>
    /// Refuses <paramref name="path"/> when something other than a directory stands there (a FIFO, a device, a regular file, on
    /// it or above it), before anything is fetched, read or written: one line naming <paramref name="option"/> (exit 1).
    /// </summary>
    /// <exception cref="CliException">It cannot be used as a directory.</exception>
    public static void RequireDirectory(string path, string option)
    {
        if (DirectoryPath.Problem(path) is string problem)
        {
            throw new CliException($"{option} {TerminalText.EscapeWhole(path)} {problem}");
        }
    }

    /// <summary>
    /// The longest duration any option takes: 100 years, longer than any keep period, staleness or wait an operator means,
    /// and far enough from <see cref="TimeSpan.MaxValue"/> (29,000 years) that a time plus it stays inside the calendar's
    /// arithmetic (a longer one is a typo or an attempt to overflow a date).
    /// </summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromDays(36500);

    /// <summary>
    /// An option taking a duration such as <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>, <c>2w</c> or <c>1h30m</c>, at most
    /// <paramref name="longest"/> (by default <see cref="LongestDuration"/>).
    /// </summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, TimeSpan? longest = null) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => !DurationText.TryParse(result.Tokens[0].Value, out TimeSpan value)
            ? Invalid<TimeSpan>(result, $"{name} '{result.Tokens[0].Value}' is not a duration: write a number and a unit (s, m, h, d, w), e.g. 90s, 30m, 24h, 7d or 1h30m.")
            : value > (longest ?? LongestDuration)
            ? Invalid<TimeSpan>(result, $"{name} '{result.Tokens[0].Value}' is longer than " +
                (longest is TimeSpan limit ? $"{DurationText.Format(limit)}, the longest {name} takes." : "36500d (100 years), the longest duration fwrules takes."))
            : value,
    };

    /// <summary><c>--notify</c>: where change notices are posted.</summary>
    public static Option<Uri?> Notify() => new("--notify")
    {
        Description = "POST a JSON change notice here when the site's version changes (https://, or http:// to a loopback address); "
            + "one that cannot be delivered is kept in the cache and sent by the next run.",
        HelpName = "URL",
        CustomParser = result => Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            ? uri
            : Invalid<Uri?>(result, $"--notify '{UrlText.WithoutSecrets(result.Tokens[0].Value)}' is not an absolute http(s) URL."),
    };

    /// <summary>Reports a plain-HTTP <c>--base-url</c> to a host that is not loopback, without <c>--allow-http</c>, as a usage error.</summary>
    public static void ValidateBaseUrl(CommandResult result, Option<Site?> baseUrl, Option<bool> allowHttp)
    {
        // From the token: reading the value would throw when its own parser already reported it.
        if (result.GetResult(baseUrl) is { Implicit: false, Tokens: [var token] } && FirewallRules.Site.TryParse(token.Value, out Site? mirror)
            && TransportPolicy.Refusal(mirror.IpRangesUri, result.GetValue(allowHttp)) is not null)
        {
            result.AddError($"--base-url {mirror.IpRangesUri}: only https:// is allowed, or plain http:// to a loopback address; pass --allow-http to allow it.");
        }
    }

    /// <summary><c>--retries</c>: how often a failed request is retried before the tool gives up with exit code 3.</summary>
    public static Option<int> Retries() => new("--retries")
    {
        Description = "Retry a failed request up to N times, with growing waits (0 to 10).",
        HelpName = "N",
        DefaultValueFactory = _ => 3,
        CustomParser = result => ParseWholeNumber(result, "--retries", 0, 10) ?? 0,
    };

    /// <summary><c>--allow-http</c>: permits a plain http:// mirror that is not on loopback.</summary>
    public static Option<bool> AllowHttp() => new("--allow-http")
    {
        Description = "Allow a plain http:// --base-url that is not a loopback address (nothing protects the document in transit).",
    };

    /// <summary>A whole number of at least 1, or nothing.</summary>
    public static Option<int?> AtLeastOne(string name, string description) => InRange(name, 1, int.MaxValue, description);

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or nothing; anything else is a usage error.</summary>
    public static Option<int?> InRange(string name, int min, int max, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => ParseWholeNumber(result, name, min, max),
    };

    /// <summary>Adds a check that the value is a name the library accepts: <paramref name="rule"/> says which, in words.</summary>
    public static Option<string?> Requiring(this Option<string?> option, Func<string, bool> valid, string rule)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is string value && !valid(value))
            {
                result.AddError($"{option.Name} '{value}': use {rule}.");
            }
        });
        return option;
    }

    /// <summary><c>--name</c>: the prefix of every name an output creates.</summary>
    public static Option<string> Name(string description, string defaultName)
    {
        var name = new Option<string>("--name")
        {
            Description = description,
            DefaultValueFactory = _ => defaultName,
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

    /// <summary><c>--family</c>: ipv4, ipv6 or both; null when not given, which means <paramref name="defaultValue"/> (as the help says it).</summary>
    public static Option<AddressFamilies?> Family(string defaultValue = "both")
    {
        Option<AddressFamilies?> family = Choices.Optional("--family", [], Choices.Of<AddressFamilies>(), $"ipv4, ipv6 or both. Default: {defaultValue}.");
        family.HelpName = "FAMILY";
        return family;
    }

    /// <summary><c>--port</c>: destination ports instead of the documented ones.</summary>
    public static Option<PortRange[]> Ports() => new("--port", "-p")
    {
        Description = $"Destination port(s) instead of the documented ones, e.g. 443, {IntakeCatalog.LogsTcp.Port}/tcp, 8125/udp (repeatable).",
        HelpName = "PORT",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result => [.. result.Tokens.Select(token => ParsePort(result, token.Value)).Distinct()],
    };

    /// <summary><c>--agent</c>: an agent of the port catalog, by its key (<c>datadog</c>, <c>datadog-v5</c>, <c>datakit</c>) or an alias.</summary>
    public static Option<AgentKind?> Agent(string description, params string[] aliases)
    {
        string keys = string.Join(", ", Enum.GetValues<AgentKind>().Select(PortCatalog.GetKey));
        return new Option<AgentKind?>("--agent", aliases)
        {
            Description = $"{description} Agents: {keys}.",
            HelpName = "AGENT",
            CustomParser = result =>
            {
                if (PortCatalog.TryParseAgent(result.Tokens[0].Value, out AgentKind agent))
                {
                    return agent;
                }

                result.AddError($"'{result.Tokens[0].Value}' is not an agent: use one of {keys}.");
                return null;
            },
        };
    }

    /// <summary><c>--open FEATURE=PREFIX</c>: a listener opened to networks besides loopback.</summary>
    public static Option<KeyValuePair<string, string>[]> OpenTo() => new("--open")
    {
        Description = "With --agent or an agent configuration: also allow FEATURE from a network, e.g. --open dogstatsd=10.0.0.0/8 " +
            "(the non-local traffic case; repeatable); with an agent configuration also where a destination no document publishes is " +
            "(kubelet, kube-apiserver, ntp, proxy).",
        HelpName = "FEATURE=PREFIX",
        CustomParser = result => [.. result.Tokens.Select(token => ParseOpenTo(result, token.Value))],
    };

    /// <summary>
    /// Whether <paramref name="option"/> was given on the command line, for checks across options. Reading
    /// the value instead would run its parser, which throws for a value it already reported as wrong.
    /// </summary>
    public static bool IsGiven(this CommandResult result, Option option) =>
        result.GetResult(option) is { Implicit: false };

    /// <summary>Reports a value starting with '-' as an unknown option; without this, a mistyped option would be read as a file name.</summary>
    public static TArgument RejectingOptionLikeValues<TArgument>(this TArgument argument)
        where TArgument : Argument
    {
        argument.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: { Length: > 1 } value }] && value.StartsWith('-'))
            {
                IEnumerable<string> known = result.Parent is CommandResult command ? Suggestions.OptionNames(command) : [];
                result.AddError(Suggestions.Unrecognized("option", value, known));
            }
        });
        return argument;
    }

    private static void RefuseBlank(SymbolResult result, IReadOnlyList<Token> tokens, string name, string kind, string? dash)
    {
        if (tokens is [{ Value: string value }] && !DirectoryPath.IsName(value))
        {
            string what = $"{name} needs a {kind} name{(dash is null ? string.Empty : $" ({dash})")}";
            result.AddError(value.Length == 0 ? $"{what}." : $"{what}, not '{TerminalText.Escape(value)}'.");
        }
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
            string word = result.Tokens[0].Value;
            string suggestion = Suggestions.Nearest(word, FirewallRules.Site.All.Select(site => site.Name.ToLowerInvariant())) is string nearest
                ? $" Did you mean '{nearest}'?"
                : string.Empty;
            result.AddError($"'{UrlText.WithoutSecrets(word)}' is not a site or an http(s) URL; see 'fwrules sites'.{suggestion}");
        }

        return parsed;
    }

    // A number option's value: decimal digits in range, else one usage error naming the option (never a crash in
    // the parser, which throws for a value it cannot convert).
    private static int? ParseWholeNumber(ArgumentResult result, string name, int min, int max)
    {
        string text = result.Tokens[0].Value;
        bool isNumber = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value);
        if (isNumber && value >= min && value <= max)
        {
            return value;
        }

        string range = max == int.MaxValue ? $"at least {min}" : $"between {min} and {max}";
        result.AddError(isNumber ? $"{name} must be {range}." : $"{name} must be a whole number ({range}), not '{TerminalText.Escape(text)}'.");
        return null;
    }

    private static PortRange ParsePort(ArgumentResult result, string text)
    {
        try
        {
            return PortRange.Parse(text);
        }
        catch (FormatException ex)
        {
            result.AddError($"--port {ex.Message}");
            return default;
        }
    }

    private static KeyValuePair<string, string> ParseOpenTo(ArgumentResult result, string text)
    {
        string[] parts = text.Split('=', 2);
        if (parts.Length != 2 || parts[0].Length == 0)
        {
            result.AddError($"--open '{text}': write FEATURE=PREFIX, e.g. dogstatsd=10.0.0.0/8");
            return default;
        }

        return new(parts[0], parts[1]);
    }
}
