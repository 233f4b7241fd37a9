using System.Globalization;
using System.Net;
using FirewallRules.IO;
using FirewallRules.Names;
using FirewallRules.Notices;
using Microsoft.Extensions.Configuration;

namespace FirewallRules.Server;

/// <summary>
/// What <c>fwrules serve</c> was told, from one source (the command line, the environment or a file): every
/// value null when that source does not set it. <see cref="Over"/> layers the sources, and
/// <see cref="ToSettings"/> checks the result and fills in the defaults.
/// </summary>
internal sealed record ServeOptions
{
    /// <summary>The configuration section that holds these values, in a file or the environment (<c>FWRULES_SERVE__LISTEN</c>).</summary>
    public const string SectionName = "Serve";

    /// <summary>
    /// The keys of the <see cref="SectionName"/> section, comma-separated: a constant, so the tool's help can name
    /// them without loading this assembly.
    /// </summary>
    public const string KeyNames = nameof(Sites) + ", " + nameof(BaseUrl) + ", " + nameof(Listen) + ", " + nameof(Cache) + ", " +
        nameof(Refresh) + ", " + nameof(Retries) + ", " + nameof(AllowHttp) + ", " + nameof(Notify) + ", " + nameof(Otlp) + ", " + nameof(PublicUrl) + ", " +
        nameof(Offline) + ", " + nameof(Input);

    /// <summary>The keys of the <see cref="SectionName"/> section, as a file and the environment name them.</summary>
    public static IReadOnlyList<string> Keys { get; } = KeyNames.Split(", ");

    private static readonly TimeSpan ShortestRefresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRefresh = TimeSpan.FromDays(1);

    /// <summary>The Datadog sites to mirror.</summary>
    public IReadOnlyList<Site>? Sites { get; init; }

    /// <summary>An upstream mirror of the one site, fetched instead of Datadog.</summary>
    public Site? BaseUrl { get; init; }

    /// <summary>The addresses and ports to listen on.</summary>
    public IReadOnlyList<IPEndPoint>? Listen { get; init; }

    /// <summary>The snapshot store's directory.</summary>
    public string? Cache { get; init; }

    /// <summary>How long to wait between fetches.</summary>
    public TimeSpan? Refresh { get; init; }

    /// <summary>How often a failed fetch is retried before the refresh counts as failed.</summary>
    public int? Retries { get; init; }

    /// <summary>Whether a plain http:// upstream that is not on loopback is allowed.</summary>
    public bool? AllowHttp { get; init; }

    /// <summary>Where change notices are posted.</summary>
    public Uri? Notify { get; init; }

    /// <summary>The OTLP receiver the metrics are exported to.</summary>
    public Uri? Otlp { get; init; }

    /// <summary>The mirror's address as its clients reach it: the Atom feeds' ids and the absolute links of its pages.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Whether the mirror never fetches (an air-gapped site, or a first look): it serves <see cref="Input"/>, the store, or the embedded snapshot.</summary>
    public bool? Offline { get; init; }

    /// <summary>Document files of the one site, served offline.</summary>
    public IReadOnlyList<string>? Input { get; init; }

    /// <summary>These values, with <paramref name="lower"/>'s wherever these are not set.</summary>
    public ServeOptions Over(ServeOptions lower) => new()
    {
        Sites = Sites ?? lower.Sites,
        BaseUrl = BaseUrl ?? lower.BaseUrl,
        Listen = Listen ?? lower.Listen,
        Cache = Cache ?? lower.Cache,
        Refresh = Refresh ?? lower.Refresh,
        Retries = Retries ?? lower.Retries,
        AllowHttp = AllowHttp ?? lower.AllowHttp,
        Notify = Notify ?? lower.Notify,
        Otlp = Otlp ?? lower.Otlp,
        PublicUrl = PublicUrl ?? lower.PublicUrl,
        Offline = Offline ?? lower.Offline,
        Input = Input ?? lower.Input,
    };

    /// <summary>Reads the <see cref="SectionName"/> section of a configuration (file, environment).</summary>
    /// <exception cref="ServeConfigurationException">A value cannot be read; the message names its key.</exception>
    public static ServeOptions From(IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection(SectionName);
        if (section.Value is { Length: > 0 })
        {
            throw new ServeConfigurationException($"{SectionName}: must be a section of settings, not one value");
        }

        return new ServeOptions
        {
            Sites = ReadList(section, nameof(Sites), ParseSite),
            BaseUrl = Read(section, nameof(BaseUrl), ParseBaseUrl),
            Listen = ReadList(section, nameof(Listen), ParseEndpoint),
            Cache = Read(section, nameof(Cache), ParseDirectoryName),
            Refresh = Read(section, nameof(Refresh), text => (TimeSpan?)ParseDuration(text)),
            Retries = Read(section, nameof(Retries), text => (int?)ParseRetries(text)),
            AllowHttp = Read(section, nameof(AllowHttp), text => (bool?)ParseBoolean(text)),
            Notify = Read(section, nameof(Notify), ParseNotify),
            Otlp = Read(section, nameof(Otlp), ParseOtlp),
            PublicUrl = Read(section, nameof(PublicUrl), ParsePublicUrl),
            Offline = Read(section, nameof(Offline), text => (bool?)ParseBoolean(text)),
            Input = ReadList(section, nameof(Input), ParseFileName),
        };
    }

    /// <summary>
    /// Refuses an environment variable that names the <see cref="SectionName"/> section but no key of it
    /// (<c>FWRULES_SERVE__CACHEE</c>, or <c>FWRULES_SERVE_CACHE</c> with one underscore), which the configuration would
    /// ignore, naming the variable meant when one is near.
    /// </summary>
    /// <param name="variables">The names of the process's environment variables.</param>
    /// <param name="prefix">The prefix of the mirror's variables (<c>FWRULES_</c>).</param>
    /// <exception cref="ServeConfigurationException">One names no key.</exception>
    public static void CheckEnvironment(IEnumerable<string> variables, string prefix)
    {
        string section = prefix + SectionName.ToUpperInvariant();
        string[] ours = [.. variables.Where(name => name.StartsWith(section, StringComparison.OrdinalIgnoreCase))];
        if (ours.GroupBy(name => name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            // The configuration reads names ignoring case: one of the two would win unsaid.
            throw new ServeConfigurationException($"{string.Join(" and ", twice.Order(StringComparer.Ordinal).Select(n => TerminalText.Escape(n)))} name one setting: set it once");
        }

        foreach (string name in ours)
        {
            string[] parts = name[section.Length..].Split("__");
            if (parts is ["", string key] && Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (parts is ["", string listed, _, ..] && Keys.Contains(listed, StringComparer.OrdinalIgnoreCase))
            {
                // An index (FWRULES_SERVE__LISTEN__0) merges with the file's list entry by entry, keeping the file's others.
                throw new ServeConfigurationException(
                    $"{TerminalText.Escape(name)}: give the whole value in {section}__{listed.ToUpperInvariant()} (a list as a,b), which replaces the file's");
            }

            string word = string.Join("__", parts).TrimStart('_').Split("__")[0];
            throw new ServeConfigurationException(NearestName.Find(word, Keys) is string nearest
                ? $"{TerminalText.Escape(name)} is not a setting; did you mean {section}__{nearest.ToUpperInvariant()}?"
                : $"{TerminalText.Escape(name)} is not a setting: use {section}__<KEY> with one of {OneOf(Keys)}");
        }
    }

    /// <summary>Names as a list in words: <c>Serve or Logging</c>, <c>Sites, BaseUrl ... or Otlp</c>.</summary>
    public static string OneOf(IReadOnlyList<string> names) =>
        names.Count < 2 ? string.Join(string.Empty, names) : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";

    /// <summary>The settings to run with: these values, checked, and the defaults where none is set.</summary>
    /// <param name="defaultCache">The cache directory when none is set.</param>
    /// <exception cref="ServeConfigurationException">The values contradict each other.</exception>
    public MirrorSettings ToSettings(string defaultCache)
    {
        Site[] sites = Sites is { Count: > 0 } ? Sites.Distinct().ToArray() : [Site.US1];
        if (BaseUrl is not null && sites.Length != 1)
        {
            throw new ServeConfigurationException("an upstream mirror (base URL) is a mirror of one site: give exactly one site with it");
        }

        bool offline = Offline == true || Input is { Count: > 0 };
        if (offline && BaseUrl is not null)
        {
            throw new ServeConfigurationException("an offline mirror fetches nothing: give input files or a base URL, not both");
        }

        if (Input is { Count: > 0 } && sites.Length != 1)
        {
            throw new ServeConfigurationException("input files are the documents of one site: give exactly one site with them");
        }

        // Checked here, not at the first fetch: a refused upstream is a configuration error (exit 2 at start), not a logged failure.
        if (BaseUrl is not null && Fetching.TransportPolicy.Refusal(BaseUrl.IpRangesUri, AllowHttp ?? false) is not null)
        {
            throw new ServeConfigurationException(
                $"base URL {TerminalText.Escape(BaseUrl.IpRangesUri.AbsoluteUri, 120)}: only https:// is allowed, or plain http:// to a loopback address; " +
                "allow plain http:// to another host with allow-http");
        }

        if (Notify is not null && NoticeSender.CheckTarget(Notify, AllowHttp ?? false) is { } problem)
        {
            throw new ServeConfigurationException($"notify: {problem}; allow plain http:// to another host with allow-http");
        }

        return new MirrorSettings
        {
            Sites = sites.Select(site => new MirroredSite(site.Name.ToLowerInvariant(), site, BaseUrl ?? site)).ToArray(),
            Listen = Listen is { Count: > 0 } ? Listen : [new IPEndPoint(IPAddress.Loopback, 8080)],
            CacheDirectory = Cache ?? defaultCache,
            Refresh = Refresh ?? TimeSpan.FromMinutes(15),
            Retries = Retries ?? 3,
            AllowHttp = AllowHttp ?? false,
            Notify = Notify,
            Otlp = Otlp,
            PublicUrl = PublicUrl,
            Offline = offline,
            Input = Input?.Select(Path.GetFullPath).ToArray() ?? [],
        };
    }

    /// <summary>A Datadog site by name or domain (a mirror is named with base-url instead).</summary>
    public static Site ParseSite(string text) =>
        !text.Contains("://", StringComparison.Ordinal) && Site.TryParse(text, out Site? site)
            ? site
            : throw new ServeConfigurationException(
                $"'{text}' is not a Datadog site: use one of {string.Join(", ", Site.All.Select(s => s.Name.ToLowerInvariant()))}; " +
                "an upstream mirror is named by its base URL instead");

    /// <summary>An upstream mirror's address (http or https).</summary>
    public static Site ParseBaseUrl(string text) =>
        text.Contains("://", StringComparison.Ordinal) && Site.TryParse(text, out Site? site)
            ? site
            : throw new ServeConfigurationException($"'{text}' is not an http(s) URL without query or credentials");

    /// <summary>A webhook's address (http or https) for change notices.</summary>
    public static Uri ParseNotify(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ServeConfigurationException($"'{text}' is not an absolute http(s) URL");

    /// <summary>An OTLP/HTTP receiver's address (http or https), e.g. <c>http://localhost:4318</c>.</summary>
    public static Uri ParseOtlp(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0 && uri.UserInfo.Length == 0
            ? uri
            : throw new ServeConfigurationException($"'{text}' is not an OTLP/HTTP receiver's http(s) URL, such as http://localhost:4318");

    /// <summary>The mirror's own address, e.g. <c>https://mirror.example.com</c> (http or https, no query, fragment or credentials).</summary>
    public static Uri ParsePublicUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri
            : throw new ServeConfigurationException($"'{text}' is not the mirror's http(s) URL, such as https://mirror.example.com");

    /// <summary>An address and port, e.g. <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>, <c>0.0.0.0:80</c>; port 0 picks a free one.</summary>
    public static IPEndPoint ParseEndpoint(string text)
    {
        // IPEndPoint also reads a bare address (port 0) and an unbracketed IPv6 address: a port must be written.
        int colon = text.LastIndexOf(':');
        bool hasPort = colon > 0 && (text[colon - 1] == ']' || text.IndexOf(':', StringComparison.Ordinal) == colon);
        return hasPort && IPEndPoint.TryParse(text, out IPEndPoint? endpoint)
            ? endpoint
            : throw new ServeConfigurationException($"'{text}' is not an address and port such as 127.0.0.1:8080 or [::1]:8080");
    }

    /// <summary>
    /// A refresh interval, written as the command line writes durations (<c>90s</c>, <c>15m</c>, <c>24h</c>,
    /// <c>1h30m</c>; <see cref="DurationText"/>), between 1 s and 1 day.
    /// </summary>
    public static TimeSpan ParseDuration(string text)
    {
        string value = text.Trim();
        if (DurationText.TryParse(value, out TimeSpan duration) && duration >= ShortestRefresh && duration <= LongestRefresh)
        {
            return duration;
        }

        // .NET's own form (00:05:00) is what configuration binders read; say how this tool writes it.
        string hint = TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan clock) && clock > TimeSpan.Zero
            ? $"; write {DurationText.Format(clock)} instead"
            : string.Empty;
        throw new ServeConfigurationException($"'{text}' is not a duration between 1s and 1d, such as 90s, 15m or 1h{hint}");
    }

    /// <summary>A retry count from 0 to 10.</summary>
    public static int ParseRetries(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int retries) && retries <= 10
            ? retries
            : throw new ServeConfigurationException($"'{text}' is not a number from 0 to 10");

    /// <summary>A directory's name: anything but empty or blanks.</summary>
    private static string ParseDirectoryName(string text) =>
        DirectoryPath.IsName(text) ? text : throw new ServeConfigurationException($"'{text}' is not a directory name");

    /// <summary>A file's name: anything but empty or blanks.</summary>
    public static string ParseFileName(string text) =>
        DirectoryPath.IsName(text) ? text : throw new ServeConfigurationException($"'{text}' is not a file name");

    private static bool ParseBoolean(string text) =>
        bool.TryParse(text, out bool value) ? value : throw new ServeConfigurationException($"'{text}' is not true or false");

    /// <summary>A key's one value, parsed; null when the key is not set.</summary>
    private static T? Read<T>(IConfigurationSection section, string key, Func<string, T> parse)
    {
        if (section.GetSection(key).GetChildren().Any())
        {
            throw new ServeConfigurationException($"{SectionName}:{key}: must be one value, not a list or a section");
        }

        return section[key] is string text ? Parse(key, () => parse(text), [text]) : default;
    }

    /// <summary>
    /// A key's values: an array's elements, or one value split at commas (the form an environment variable
    /// can take); null when the key is not set.
    /// </summary>
    private static T[]? ReadList<T>(IConfigurationSection section, string key, Func<string, T> parse)
    {
        IConfigurationSection entry = section.GetSection(key);
        if (entry.GetChildren().Any(child => child.GetChildren().Any()))
        {
            throw new ServeConfigurationException($"{SectionName}:{key}: each entry must be one value, not a list or a section");
        }

        string[] values = entry.Value is string text
            ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : entry.GetChildren().Select(child => child.Value).OfType<string>().ToArray();
        return values.Length == 0 ? null : Parse(key, () => values.Select(parse).ToArray(), values);
    }

    // A value quoted back from a file or the environment: terminal-safe, without credentials, and an address without
    // its path and query, which often carry a webhook's token.
    private static T Parse<T>(string key, Func<T> parse, string[] values)
    {
        try
        {
            return parse();
        }
        catch (ServeConfigurationException ex)
        {
            string message = values.Where(value => value.Length > 0).Aggregate(ex.Message, (text, value) => text.Replace(value, Shown(value), StringComparison.Ordinal));
            throw new ServeConfigurationException($"{SectionName}:{key}: {message}");
        }
    }

    private static string Shown(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" && (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.AbsolutePath.Length > 1)
            ? NoticeSender.Describe(uri)
            : TerminalText.Escape(WithoutPathOrQuery(UrlText.WithoutSecrets(value)));

    // Text that looks like an address, cut before what may hold a token: its query, and its path when it names a scheme.
    private static string WithoutPathOrQuery(string value)
    {
        int scheme = value.IndexOf("://", StringComparison.Ordinal);
        int path = scheme >= 0 ? value.IndexOf('/', scheme + 3) : -1;
        int query = value.IndexOfAny(['?', '#']);
        int cut = path >= 0 && (query < 0 || path < query) ? path + 1 : query;
        return cut >= 0 && cut < value.Length ? value[..cut] + "…" : value;
    }
}
