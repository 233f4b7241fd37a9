using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Emitters;
using FirewallRules.Sync;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>fwrules sync</c>'s options for a file a server reads (<c>-f nginx|nginx-geo|apache|haproxy|caddy</c>, the formats whose folder
/// declares a server file, <see cref="SyncCapability.ServerFile"/>): the file, the server's test and reload, and the formats'
/// own settings (trusted proxies, ...), made from their descriptions as <c>generate</c>'s are; each refused with another format.
/// </summary>
internal sealed class ServerFileOptions
{
    private readonly Dictionary<string, Option> _settings = Settings.GroupBy(s => s.Flag).ToDictionary(g => g.Key, g => PlatformOptions.Create(g.Key, [.. g]));

    /// <summary>The formats sync keeps as a file a server reads.</summary>
    public static IReadOnlyList<string> Formats { get; } = [.. EmitterRegistry.Default.SyncTargets.Where(t => t.Capability.ServerFile is not null).Select(t => t.Format)];

    private static readonly FormatSetting[] Settings = [.. Formats.SelectMany(f => EmitterRegistry.Default.Describe(f).Settings).DistinctBy(s => s.Name)];

    public Option<string?> Output { get; } = new("--output")
    {
        Description = $"{string.Join(", ", Formats)}: the file to keep in step, as the server includes it (e.g. /etc/nginx/snippets/datadog.conf).",
        HelpName = "FILE",
    };

    public Option<string?> Check { get; } = new("--check")
    {
        Description = "With --output: the server's own configuration test, run (sh -c) with the new file in place; when it fails the last good file is put back " +
            "and the server is not reloaded. Default: the format's (nginx -t, apache2ctl configtest, haproxy -c -f /etc/haproxy/haproxy.cfg, caddy validate ...).",
        HelpName = "COMMAND",
    };

    public Option<string?> Reload { get; } = new("--reload")
    {
        Description = "With --output: how the server reads the file again, run (sh -c) once the test passed and only when its directives changed. " +
            "Default: systemctl reload SERVER.",
        HelpName = "COMMAND",
    };

    public IEnumerable<Option> All => [Output, Check, Reload, .. _settings.Values];

    /// <summary>Whether <paramref name="format"/> is a server's file.</summary>
    public static bool Handles(string format) => Formats.Contains(format, StringComparer.Ordinal);

    /// <summary>Adds the checks: --output needed with a server's file and refused otherwise, each setting with the formats that take it.</summary>
    public void Validate(CommandResult result, string format)
    {
        if (!Handles(format))
        {
            if (All.FirstOrDefault(result.IsGiven) is { } given)
            {
                result.AddError($"{given.Name} is for the formats of a file a server reads ({string.Join(", ", Formats)}).");
            }

            return;
        }

        if (!result.IsGiven(Output))
        {
            result.AddError($"-f {format} keeps a file a server reads: name it with --output FILE (e.g. {EmitterRegistry.Default.DescribeSync(format)!.ServerFile!.Output}).");
        }

        FormatDescription description = EmitterRegistry.Default.Describe(format);
        if (_settings.FirstOrDefault(s => result.IsGiven(s.Value) && !description.Settings.Any(d => d.Flag == s.Key)) is { Key: { } flag })
        {
            result.AddError($"{flag} applies to {string.Join(", ", Formats.Where(f => EmitterRegistry.Default.Describe(f).Settings.Any(s => s.Flag == flag)))}, not to {format}.");
        }
    }

    /// <summary>
    /// The settings to sync a server's file with (<paramref name="settings"/> as they are for another format): its file and commands, its
    /// settings, and the inbound sections by default.
    /// </summary>
    public SyncSettings Bind(ParseResult parse, SyncSettings settings)
    {
        if (!Handles(settings.Format))
        {
            return settings;
        }

        SettingValues given = PlatformOptions.Bind(parse, Settings, _settings);
        string key = string.Join(';', Settings.Select(s => (s.Flag, Option: _settings[s.Flag]))
            .Where(s => parse.GetResult(s.Option) is { Implicit: false })
            .Select(s => $"{s.Flag}={string.Join(',', parse.GetResult(s.Option)!.Tokens.Select(t => t.Value))}"));
        return settings with
        {
            ServerFile = new ServerFileSync(parse.GetRequiredValue(Output)!, parse.GetValue(Check), parse.GetValue(Reload), given, key),
            DefaultDirection = EmitterRegistry.Default.Describe(settings.Format).DefaultDirection,
        };
    }
}
