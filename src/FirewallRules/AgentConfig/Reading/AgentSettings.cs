using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The agent's settings as it resolves them: an environment variable bound to the key, else the file, else the
/// agent's default for its version. Typed reads fail with the file, line and key, never the value of a secret.
/// </summary>
internal sealed partial class AgentSettings(Dictionary<string, SettingValue> file, Dictionary<string, SettingValue> environment)
{
    private static readonly string[] SecretWords = ["api_key", "apikey", "app_key", "password", "token", "secret", "proxy"];

    /// <summary>The integrations of the agent's <c>conf.d</c>; null when the folder was not read (<c>--agent-dir</c> not given).</summary>
    public AgentChecks? Checks { get; init; }

    /// <summary>Which of the system probe and the security agent run (<see cref="AgentComponents"/>).</summary>
    public AgentComponents Running { get; init; } = AgentComponents.All;

    /// <summary>The DDOT Collector's configuration, when the deployment runs the collector beside the Agent; null otherwise.</summary>
    public CollectorConfig? Collector { get; init; }

    /// <summary>The value that wins for <paramref name="key"/> and the name it was set under (the variable, or the key); null when unset.</summary>
    public FoundSetting? Find(string key)
    {
        foreach (string name in EnvBindings.For(key))
        {
            // As the agent's configuration library does by default, an empty variable counts as unset.
            if (environment.TryGetValue(name, out SettingValue? value) && !string.IsNullOrEmpty(value.Text))
            {
                return new(value, value.Label ?? name);
            }
        }

        if (file.TryGetValue(key, out SettingValue? set) && !set.IsNull)
        {
            return new(set, key);
        }

        RefuseParentNotAMap(key);
        return null;
    }

    /// <summary>
    /// A parent of <paramref name="key"/> set to a single value or a list (<c>apm_config: true</c>): the agent reads nothing
    /// under it and runs on its defaults, which is seldom what the file meant; refused as a wrong single value is.
    /// </summary>
    private void RefuseParentNotAMap(string key)
    {
        for (int dot = key.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = key.IndexOf('.', dot + 1))
        {
            string parent = key[..dot];
            if (file.TryGetValue(parent, out SettingValue? value) && !value.IsNull && value.Node is not YamlMappingNode)
            {
                throw WrongType(value, parent, "a map of settings");
            }
        }
    }

    public bool IsSet(string key) => Find(key) is not null;

    /// <summary>Whether the file holds <paramref name="key"/>, even as an empty section (<c>grpc:</c> turns the receiver on).</summary>
    public bool IsPresentInFile(string key) => file.ContainsKey(key);

    /// <summary>A variable by its own name (HTTPS_PROXY, NO_PROXY), when set and not empty.</summary>
    public SettingValue? Variable(string name) =>
        environment.TryGetValue(name, out SettingValue? value) && !string.IsNullOrEmpty(value.Text) ? value : null;

    /// <summary>
    /// The value that wins for <paramref name="key"/> when it is text that is not blank, trimmed, with where it was set; null when
    /// unset or blank. A list or a map is refused as not <paramref name="expected"/>: the agent reads no text from it.
    /// </summary>
    public (FoundSetting Found, string Text)? NonBlankText(string key, string expected = "a string") => Find(key) switch
    {
        null => null,
        { Value.Text: string text } found => text.Trim() is { Length: > 0 } trimmed ? (found, trimmed) : null,
        FoundSetting found => throw WrongType(found.Value, found.Name, expected),
    };

    public string? Text(string key) => Find(key) switch
    {
        null => null,
        { Value.Text: string text } => text.Trim(),
        FoundSetting found => throw WrongType(found.Value, found.Name, "a string"),
    };

    public bool Bool(string key, bool fallback)
    {
        if (Find(key) is not FoundSetting found)
        {
            return fallback;
        }

        return ParseBool(found.Value) ?? throw WrongType(found.Value, found.Name, "true or false");
    }

    public int Port(string key, int fallback, int min = 0)
    {
        if (Find(key) is not FoundSetting found)
        {
            return fallback;
        }

        return int.TryParse(found.Value.Text?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int port) && port >= min && port <= 65535
            ? port
            : throw WrongType(found.Value, found.Name,
                min < 0 ? "a port number (or -1 to turn it off)" : string.Create(CultureInfo.InvariantCulture, $"a port number from {min} to 65535"));
    }

    /// <summary>
    /// A list setting: a YAML sequence, or words separated by spaces (a YAML string, or from the environment). A YAML number or
    /// boolean (<c>no_proxy: 5</c>) is refused: the agent cannot read it as a list and reads none.
    /// </summary>
    public IReadOnlyList<string> List(string key)
    {
        return Find(key) switch
        {
            null => [],
            { Value.Node: YamlSequenceNode list } => [.. list.Children.OfType<YamlScalarNode>().Select(s => s.Value).OfType<string>()],
            { Value: { Text: string plain, Quoted: false } } found when NotAString().IsMatch(plain.Trim()) =>
                throw WrongType(found.Value, found.Name, "a list"),
            { Value.Text: string text } => text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries),
            FoundSetting found => throw WrongType(found.Value, found.Name, "a list"),
        };
    }

    public static bool IsSecret(string name) => SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    public static AgentConfigurationException WrongType(SettingValue value, string name, string expected)
    {
        string shown = value.Text is string text && ShownValue.For(name, text) is string quoted
            ? $", not '{quoted}'"
            : value.Node is YamlSequenceNode ? ", not a list" : value.Node is YamlMappingNode ? ", not a map" : string.Empty;
        return new AgentConfigurationException(value.Origin, name, $"must be {expected}{shown}");
    }

    // A plain YAML scalar the agent's YAML parser reads as a number or a boolean, not a string (YAML 1.1's words included).
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)?\.?[0-9]+(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o?[0-7]+|(?i:true|false|yes|no|on|off|y|n))$")]
    private static partial System.Text.RegularExpressions.Regex NotAString();

    // strconv.ParseBool's words, and for a plain YAML scalar the YAML 1.1 words the agent's YAML parser reads as booleans.
    private static bool? ParseBool(SettingValue value) => value.Text?.Trim() switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y" when !value.Quoted => true,
        "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N" when !value.Quoted => false,
        _ => null,
    };
}

/// <summary>A setting's winning value and the name it was set under: the environment variable, or the key in the file.</summary>
internal sealed record FoundSetting(SettingValue Value, string Name);
