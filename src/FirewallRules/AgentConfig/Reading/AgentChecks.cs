using FirewallRules.IO;
using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What the integrations set up in the agent's <c>conf.d</c> open: Database Monitoring (an instance of a database integration
/// with <c>dbm: true</c>), SNMP devices polled, Network Path tests, and the targets of HTTP and TCP checks. Read as the agent
/// reads the folder (<c>comp/core/autodiscovery/providers/config_reader.go</c>, data/PROVENANCE.md): <c>CHECK.yaml</c> beside the
/// folders, every <c>*.yaml</c> in <c>CHECK.d/</c> (one level; <c>metrics.yaml</c> holds no instances), and a
/// <c>CHECK.yaml.default</c> only while no other file configures that check. A file the agent would skip (empty, not YAML,
/// without instances) is skipped and said.
/// </summary>
internal sealed record AgentChecks(IReadOnlyList<CheckInstance> Instances, IReadOnlyList<string> Skipped)
{
    /// <summary>
    /// The entries not read for another reason than the agent's skipping a file, each with it: a linked CHECK.d, a loop of links, a name
    /// that is not UTF-8.
    /// </summary>
    public IReadOnlyList<string> Unread { get; init; } = [];

    /// <summary>The integrations whose <c>dbm: true</c> turns Database Monitoring on (Datadog's Database Monitoring setup pages).</summary>
    public static IReadOnlyList<string> DatabaseChecks { get; } = ["postgres", "mysql", "sqlserver", "oracle", "mongo"];

    private const int MaxFiles = 2000;

    /// <summary>A folder with no integration configured.</summary>
    public static AgentChecks None { get; } = new([], []);

    /// <summary>The instances with Database Monitoring on.</summary>
    public IEnumerable<CheckInstance> DatabaseMonitoring => Instances.Where(i => i.Dbm && DatabaseChecks.Contains(i.Check));

    /// <summary>The instances of <paramref name="check"/>.</summary>
    public IEnumerable<CheckInstance> Of(string check) => Instances.Where(i => i.Check == check);

    /// <summary>Reads <paramref name="directory"/> (the agent's <c>conf.d</c>).</summary>
    /// <exception cref="IOException">The folder holds more than 2,000 configuration files, or one larger than 4 MiB.</exception>
    public static AgentChecks Read(string directory)
    {
        var regular = new List<(string Check, string Path)>();
        var defaults = new List<(string Check, string Path)>();
        var unread = new List<string>();
        foreach (string entry in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(entry);
            if (Directory.Exists(entry))
            {
                // os.ReadDir reports a symbolic link as no folder, so the agent reads nothing through a linked CHECK.d (and a link to
                // another folder, as a ConfigMap's ..data, is no check's).
                if (new DirectoryInfo(entry).LinkTarget is not null)
                {
                    if (name.EndsWith(".d", StringComparison.Ordinal))
                    {
                        unread.Add($"{Path.Combine(Path.GetFileName(directory), name)} (a symbolic link to a folder, which the agent lists as no folder and does not read)");
                    }

                    continue;
                }

                if (name.EndsWith(".d", StringComparison.Ordinal))
                {
                    string check = name[..^2];
                    foreach (string file in Directory.EnumerateFiles(entry).Order(StringComparer.Ordinal))
                    {
                        Collect(check, file, regular, defaults);
                    }
                }
            }
            else
            {
                Collect(null, entry, regular, defaults);
            }
        }

        if (regular.Count + defaults.Count > MaxFiles)
        {
            throw new IOException($"{directory}: more than {MaxFiles} configuration files");
        }

        // A default file counts only while no other file of its check holds instances (config_reader.go's configNames: a logs-only,
        // empty or invalid file does not hold the default back).
        var instances = new List<CheckInstance>();
        var skipped = new List<string>();
        Read(directory, regular, instances, (skipped, unread));
        var configured = instances.Select(i => i.Check).ToHashSet(StringComparer.Ordinal);
        Read(directory, [.. defaults.Where(d => !configured.Contains(d.Check))], instances, (skipped, unread));
        return new AgentChecks(instances, skipped) { Unread = unread };
    }

    private static void Read(string directory, List<(string Check, string Path)> files, List<CheckInstance> instances, (List<string> Skipped, List<string> Unread) left)
    {
        foreach ((string check, string path) in files)
        {
            string shown = Path.Combine(Path.GetFileName(directory), Path.GetRelativePath(directory, path));
            if (Unreadable(path) is string why)
            {
                left.Unread.Add($"{shown} ({why})");
            }
            else if (ReadInstances(check, path, shown) is { } read)
            {
                instances.AddRange(read);
            }
            else
            {
                left.Skipped.Add(shown);
            }
        }
    }

    // Why a file cannot be opened, where that is not the agent's skipping it: a loop of links (the agent's open fails too), or a name that
    // is not UTF-8, which .NET gives back with U+FFFD, naming no file (the agent takes names as bytes and opens it).
    private static string? Unreadable(string path)
    {
        if (Path.GetFileName(path).Contains('\uFFFD', StringComparison.Ordinal) && !File.Exists(path))
        {
            return "its name is not UTF-8: this tool cannot open it by its name, though the agent reads it; check what it sets by hand";
        }

        try
        {
            _ = new FileInfo(path).LinkTarget is null ? null : File.ResolveLinkTarget(path, returnFinalTarget: true);
            return null;
        }
        catch (IOException)
        {
            return "a symbolic link loop, which the agent cannot open either";
        }
    }

    // A file of the folder: CHECK.yaml or CHECK.yml, or the same with .default; any other name is not the agent's.
    private static void Collect(string? folderCheck, string path, List<(string, string)> regular, List<(string, string)> defaults)
    {
        string name = Path.GetFileName(path);
        bool isDefault = name.EndsWith(".default", StringComparison.Ordinal);
        string bare = isDefault ? name[..^".default".Length] : name;
        string extension = Path.GetExtension(bare);
        if (extension is not (".yaml" or ".yml") || bare is "metrics.yaml" or "metrics.yml")
        {
            return;
        }

        string check = folderCheck ?? bare[..^extension.Length];
        (isDefault ? defaults : regular).Add((check, path));
    }

    // The file's instances (none for a logs-only file: the agent's log collection, which opens nothing here); null when the agent would
    // skip it (empty, not YAML, neither instances nor logs).
    private static List<CheckInstance>? ReadInstances(string check, string path, string shown)
    {
        string text;
        try
        {
            text = InputFile.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // A link to nothing: the agent skips what it cannot open.
            return null;
        }

        YamlMappingNode? root;
        try
        {
            root = YamlSettings.Load(text, shown);
        }
        catch (AgentConfigurationException)
        {
            return null;
        }

        if (root is null || YamlSettings.Child(root, "instances", shown) is not YamlSequenceNode list || list.Children.Count == 0)
        {
            return root is not null && YamlSettings.Child(root, "logs", shown) is not null ? [] : null;
        }

        bool template = YamlSettings.Child(root, "ad_identifiers", shown) is not null;
        // init_config's ping.enabled pings every device of the file an instance does not set it for (Datadog's "Ping" page).
        bool? pingAll = CheckInstance.PingOf(YamlSettings.Child(root, "init_config", shown) as YamlMappingNode, shown);
        return [.. list.Children.OfType<YamlMappingNode>().Select(instance => CheckInstance.Read(check, instance, shown, template, pingAll ?? false))];
    }
}

/// <summary>One instance of an integration in <c>conf.d</c>: where it is, whether it turns Database Monitoring on, and what it connects to.</summary>
/// <param name="Check">The integration (<c>postgres</c>), from its folder or file name.</param>
/// <param name="Origin">The file and line of the instance.</param>
/// <param name="Dbm">Whether the instance sets <c>dbm: true</c>.</param>
/// <param name="Target">What the instance connects to, host and port only (from <c>url</c>, <c>openmetrics_endpoint</c>, <c>host</c> and
/// <c>port</c>, mongo's <c>hosts</c>...); null when none.</param>
/// <param name="Template">An autodiscovery template (<c>ad_identifiers</c>): it runs for each container it matches.</param>
/// <param name="Ping">Whether the instance pings its device too (SNMP's <c>ping.enabled</c>): ICMP echo requests.</param>
internal sealed record CheckInstance(string Check, SettingOrigin Origin, bool Dbm, string? Target, bool Template, bool Ping)
{
    public static CheckInstance Read(string check, YamlMappingNode instance, string file, bool template, bool pingAll)
    {
        string? Text(string key) => YamlSettings.Child(instance, key, file) is YamlScalarNode { Value: { Length: > 0 } value } ? value.Trim() : null;
        bool dbm = Affirmative(Text("dbm")) || Affirmative(Text("deep_database_monitoring"));
        return new CheckInstance(check, YamlSettings.Origin(instance, file), dbm, TargetOf(Text, instance, file), template, PingOf(instance, file) ?? pingAll);
    }

    /// <summary>A map's <c>ping.enabled</c>, as the integrations read it; null when unset.</summary>
    public static bool? PingOf(YamlMappingNode? map, string file)
    {
        if (map is null || YamlSettings.Child(map, "ping", file) is not YamlMappingNode ping
            || YamlSettings.Child(ping, "enabled", file) is not YamlScalarNode { Value: string on } || on.Trim() is "" or "~" or "null")
        {
            return null;
        }

        return Affirmative(on.Trim());
    }

    // datadog_checks_base's is_affirmative, as the integrations read dbm: true, yes, on, y, 1 (any case).
    private static bool Affirmative(string? value) => value?.ToLowerInvariant() is "true" or "yes" or "on" or "y" or "1";

    // Only a host name or address and a port are kept: a URL's credentials, path and query (which may hold secrets) never reach
    // a note, nor does a template variable (%%host%%) or anything else that is not a host. A URL (http_check's url, OpenMetrics'
    // openmetrics_endpoint or prometheus_url, mongo's server URI), else a host key with its port (sqlserver writes "host,port"),
    // else mongo's hosts list ("host:port" each).
    private static string? TargetOf(Func<string, string?> text, YamlMappingNode instance, string file)
    {
        if (TargetUrlKeys.Select(text).FirstOrDefault(v => v is not null && v.Contains("://", StringComparison.Ordinal)) is string url)
        {
            if (url.StartsWith("mongodb", StringComparison.OrdinalIgnoreCase))
            {
                return MongoHosts(url);
            }

            return IntakeHosts.Parse(url) is var (urlHost, urlPort) && IsHost(urlHost) ? Shown(urlHost, urlPort) : null;
        }

        if (TargetHostKeys.Select(text).FirstOrDefault(v => v is not null) is string written)
        {
            // sqlserver's host: "sql.internal,1433" (its own form for host and port).
            string[] parts = written.Split(',', 2, StringSplitOptions.TrimEntries);
            string host = parts[0].Trim('[', ']');
            return IsHost(host) ? Shown(host, Port(parts.Length == 2 ? parts[1] : text("port"))) : null;
        }

        string[] listed = YamlSettings.Child(instance, "hosts", file) is YamlSequenceNode hosts
            ? [.. hosts.Children.OfType<YamlScalarNode>().Select(h => HostAndPort(h.Value ?? string.Empty)).OfType<string>()]
            : [];
        return listed.Length > 0 ? string.Join(", ", listed) : null;
    }

    // mongodb://user:pass@host1:27017,host2:27018/db?opts: the hosts between the credentials and the path; mongodb+srv:// names a DNS
    // SRV record, which the driver resolves to the hosts it connects to.
    private static string? MongoHosts(string uri)
    {
        // The authority ends at the first '/', '?' or '#' (a query may hold '@' in a password); the credentials end at its last '@'.
        string rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        int end = rest.IndexOfAny(['/', '?', '#']);
        string authority = end < 0 ? rest : rest[..end];
        string[] hosts = [.. authority[(authority.LastIndexOf('@') + 1)..].Split(',').Select(HostAndPort).OfType<string>()];
        string srv = uri.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase) ? " (a DNS SRV record: the hosts it lists)" : string.Empty;
        return hosts.Length > 0 ? string.Join(", ", hosts) + srv : null;
    }

    private static readonly string[] TargetUrlKeys = ["url", "openmetrics_endpoint", "prometheus_url", "server"];

    private static readonly string[] TargetHostKeys = ["host", "hostname", "ip_address", "network_address", "server"];

    // "host:port" or a bare host, as mongo's hosts list writes them.
    private static string? HostAndPort(string entry)
    {
        // Credentials written before the host (user:password@, an access key id) are never shown; a port that is no number leaves nothing to show.
        string value = entry.Trim();
        value = value[(value.LastIndexOf('@') + 1)..];
        int colon = value.LastIndexOf(':');
        bool hasPort = (colon > 0 && value.IndexOf(':') == colon) || (value.StartsWith('[') && value.Contains("]:", StringComparison.Ordinal));
        string host = (hasPort ? value[..colon] : value).Trim('[', ']');
        int? port = hasPort ? Port(value[(colon + 1)..]) : null;
        return IsHost(host) && (port is not null || !hasPort) ? Shown(host, port) : null;
    }

    private static int? Port(string? text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int p) && p is > 0 and < 65536 ? p : null;

    private static bool IsHost(string host) =>
        System.Net.IPAddress.TryParse(host, out _) || Names.NameRules.IsDnsName(host) || System.Net.IPNetwork.TryParse(host, out _);

    // host:port, an IPv6 address in one pair of brackets (a URL's host comes with them, a host key may or may not).
    private static string Shown(string host, int? port) =>
        host.Trim('[', ']') is var bare && port is int p ? (bare.Contains(':', StringComparison.Ordinal) ? $"[{bare}]:{p}" : $"{bare}:{p}") : bare;
}
