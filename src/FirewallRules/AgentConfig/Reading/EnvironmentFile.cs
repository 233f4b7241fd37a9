namespace FirewallRules.AgentConfig;

/// <summary>
/// The agent's environment as a file: <c>KEY=VALUE</c> lines (a systemd <c>EnvironmentFile</c>, a container's env
/// file, with <c>#</c> comments, blank lines, an optional <c>export</c> and surrounding quotes), or the NUL-separated
/// form of <c>/proc/PID/environ</c>.
/// </summary>
internal static class EnvironmentFile
{
    /// <exception cref="AgentConfigurationException">A line is not <c>KEY=VALUE</c> (the message names the line, never its text).</exception>
    public static Dictionary<string, SettingValue> Parse(string text, string file)
    {
        var variables = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        bool environ = text.Contains('\0', StringComparison.Ordinal);
        string[] entries = environ ? text.Split('\0') : text.Split('\n');
        for (int i = 0; i < entries.Length; i++)
        {
            string entry = environ ? entries[i] : entries[i].TrimEnd('\r').Trim();
            if (entry.Length == 0 || (!environ && entry.StartsWith('#')))
            {
                continue;
            }

            if (!environ && entry.StartsWith("export ", StringComparison.Ordinal))
            {
                entry = entry["export ".Length..].TrimStart();
            }

            var origin = new SettingOrigin(file, environ ? null : i + 1);
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !IsName(entry.AsSpan(0, equals)))
            {
                string where = environ ? $"entry {i + 1}" : "this line";
                throw new AgentConfigurationException(origin, null, $"{where} is not KEY=VALUE");
            }

            // A process's environment may name a variable twice: Go's os.Getenv, the agent's, takes the first (copyenv,
            // syscall/env_unix.go); in a file, as systemd reads it, the last line wins.
            string value = entry[(equals + 1)..];
            if (!environ || !variables.ContainsKey(entry[..equals]))
            {
                variables[entry[..equals]] = new SettingValue(environ ? value : Unquote(value), null, origin, Quoted: true);
            }
        }

        return variables;
    }

    private static bool IsName(ReadOnlySpan<char> name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return !char.IsAsciiDigit(name[0]);
    }

    // As systemd reads an EnvironmentFile: single quotes keep their text as written; inside double quotes a backslash
    // escapes ", \, ` and $ (DD_ADDITIONAL_ENDPOINTS="{\"https://app.datadoghq.eu\": [\"k\"]}" is JSON), any other stays.
    private static string Unquote(string value)
    {
        string trimmed = value.Trim();
        if (trimmed.Length < 2 || (trimmed[0] != '"' && trimmed[0] != '\'') || trimmed[^1] != trimmed[0])
        {
            return trimmed;
        }

        string inner = trimmed[1..^1];
        if (trimmed[0] == '\'' || !inner.Contains('\\', StringComparison.Ordinal))
        {
            return inner;
        }

        var text = new System.Text.StringBuilder(inner.Length);
        for (int i = 0; i < inner.Length; i++)
        {
            bool escape = inner[i] == '\\' && i + 1 < inner.Length && inner[i + 1] is '"' or '\\' or '`' or '$';
            text.Append(escape ? inner[++i] : inner[i]);
        }

        return text.ToString();
    }
}
