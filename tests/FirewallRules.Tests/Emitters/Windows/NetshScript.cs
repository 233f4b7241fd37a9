namespace FirewallRules.Tests.Emitters.Windows;

/// <summary>
/// A strict reader for the netsh script the <c>windows-netsh</c> format writes: <c>#</c> comment lines, and
/// <c>pushd advfirewall firewall</c>, <c>delete rule name=...</c> (nothing else: a filter would let rules of
/// the name escape), <c>add rule</c> with the arguments the emitter writes, each once, and <c>popd</c>; values
/// optionally in double quotes (netsh has no escape inside them).
/// </summary>
/// <remarks>
/// It refuses any other command or argument, any character cmd.exe gives meaning to (<c>&amp; | &lt; &gt; ^ %</c>),
/// and anything outside printable ASCII, so a line stays one command even pasted after <c>netsh advfirewall firewall</c>.
/// </remarks>
internal sealed class NetshScript
{
    private NetshScript(IReadOnlyList<NetshCommand> commands, IReadOnlyList<string> lines)
    {
        Commands = commands;
        Lines = lines;
    }

    /// <summary>Every command line, in order.</summary>
    public IReadOnlyList<NetshCommand> Commands { get; }

    /// <summary>Every line, comments included.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The <c>add rule</c> commands.</summary>
    public IReadOnlyList<NetshCommand> Adds => Commands.Where(c => c.Verb == "add rule").ToArray();

    /// <summary>The names the <c>delete rule</c> commands delete.</summary>
    public IReadOnlyList<string> Deletes => Commands.Where(c => c.Verb == "delete rule").Select(c => c["name"]).ToArray();

    private static readonly string[] AddKeys = ["name", "dir", "action", "protocol", "localport", "remoteport", "remoteip", "description"];
    private static readonly string[] RequiredAddKeys = ["name", "dir", "action", "protocol", "remoteip"];

    /// <summary>
    /// Runs the script against <paramref name="firewall"/>, a model of the netsh rules on a host, as netsh does:
    /// <c>delete rule</c> removes every rule that matches all of its arguments (the name may be shared), and
    /// <c>add rule</c> adds one more.
    /// </summary>
    public void ApplyTo(List<NetshCommand> firewall)
    {
        foreach (NetshCommand command in Commands)
        {
            if (command.Verb == "delete rule")
            {
                firewall.RemoveAll(rule => command.Arguments.All(filter => rule.Has(filter.Key) && rule[filter.Key] == filter.Value));
            }
            else if (command.Verb == "add rule")
            {
                firewall.Add(command);
            }
        }
    }

    /// <exception cref="FormatException">A line is not one the emitter writes.</exception>
    public static NetshScript Read(string text)
    {
        string[] lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("the script does not end with a line break");
        }

        lines = lines[..^1];
        var commands = new List<NetshCommand>();
        foreach (string line in lines)
        {
            if (line.Any(c => c is < ' ' or > '~'))
            {
                throw new FormatException($"not printable ASCII: {line}");
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.IndexOfAny(['&', '|', '<', '>', '^', '%']) >= 0)
            {
                throw new FormatException($"a character cmd.exe interprets: {line}");
            }

            List<string> words = Split(line);
            string verb = words.Count >= 2 && words[1] == "rule" ? $"{words[0]} rule" : string.Join(' ', words);
            IReadOnlyList<(string Key, string Value)> arguments = verb switch
            {
                "pushd advfirewall firewall" or "popd" => [],
                "delete rule" or "add rule" => words.Skip(2).Select(ReadArgument).ToArray(),
                _ => throw new FormatException($"not a command the emitter writes: {line}"),
            };
            string[] keys = arguments.Select(a => a.Key).ToArray();
            string[] allowed = verb == "add rule" ? AddKeys : verb == "delete rule" ? ["name"] : [];
            string[] required = verb == "add rule" ? RequiredAddKeys : verb == "delete rule" ? ["name"] : [];
            if (keys.Except(allowed).FirstOrDefault() is string unknown)
            {
                throw new FormatException($"'{unknown}' is not an argument the emitter writes for {verb}: {line}");
            }

            if (keys.Length != keys.Distinct().Count() || required.Except(keys).Any())
            {
                throw new FormatException($"an argument is repeated or missing: {line}");
            }

            if (verb == "add rule" && keys.Contains("localport") == keys.Contains("remoteport"))
            {
                throw new FormatException($"not exactly one of localport and remoteport: {line}");
            }

            commands.Add(new NetshCommand(verb, arguments, line));
        }

        return new NetshScript(commands, lines);
    }

    private static (string Key, string Value) ReadArgument(string word)
    {
        int equals = word.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException($"'{word}' is not key=value");
        }

        string value = word[(equals + 1)..];
        if (value.StartsWith('"'))
        {
            value = value.Length >= 2 && value.EndsWith('"') ? value[1..^1] : throw new FormatException($"unbalanced quotes in {word}");
        }

        return value.Contains('"', StringComparison.Ordinal) ? throw new FormatException($"a quote inside {word}") : (word[..equals], value);
    }

    // Words are separated by spaces outside double quotes.
    private static List<string> Split(string line)
    {
        var words = new List<string>();
        int start = 0;
        bool quoted = false;
        for (int i = 0; i <= line.Length; i++)
        {
            if (i == line.Length || (line[i] == ' ' && !quoted))
            {
                if (i > start)
                {
                    words.Add(line[start..i]);
                }

                start = i + 1;
            }
            else if (line[i] == '"')
            {
                quoted = !quoted;
            }
        }

        return quoted ? throw new FormatException($"unbalanced quotes: {line}") : words;
    }
}

/// <summary>One netsh command: <c>add rule</c>, <c>delete rule</c>, <c>pushd advfirewall firewall</c> or <c>popd</c>.</summary>
internal sealed record NetshCommand(string Verb, IReadOnlyList<(string Key, string Value)> Arguments, string Line)
{
    public string this[string key] => Arguments.Single(a => a.Key == key).Value;

    public bool Has(string key) => Arguments.Any(a => a.Key == key);
}
