using System.Text.Json;
using FirewallRules.IO;
using FirewallRules.Names;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Server;

/// <summary>
/// <c>serve --config</c>'s JSON file, read within bounds (a regular file of at most 4 MiB: a FIFO or a device is refused
/// rather than waited on), its keys checked (a section or a setting the mirror does not know is refused, naming the one
/// meant, rather than ignored), and its <c>Logging</c> section checked before the host starts, so that a log level that
/// does not exist is one line naming its key, not a failure while the host builds.
/// </summary>
internal static class MirrorConfigurationFile
{
    /// <summary>The file's sections: the mirror's settings, and the log levels.</summary>
    private static readonly string[] Sections = [ServeOptions.SectionName, "Logging"];

    /// <summary>Adds <paramref name="path"/>'s settings to <paramref name="configuration"/>.</summary>
    /// <exception cref="IOException">The file cannot be read, is not a regular file, or is too large.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON object (bad input, exit 1, as a file that cannot be read).</exception>
    /// <exception cref="ServeConfigurationException">It holds a section or a setting the mirror does not know.</exception>
    public static void Add(IConfigurationBuilder configuration, string path)
    {
        byte[] bytes = InputFile.ReadAllBytes(path);
        string shown = TerminalText.EscapeWhole(path);
        try
        {
            // Parsed once here for the error's place and the keys; the configuration parses the same bytes.
            using (JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
            {
                CheckTwice(document.RootElement, string.Empty, shown, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                CheckKeys(document.RootElement, shown);
            }

            configuration.AddJsonStream(new MemoryStream(bytes));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{shown}:{(ex.LineNumber ?? 0) + 1}: not valid JSON (byte {(ex.BytePositionInLine ?? 0) + 1} of the line)");
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or InvalidOperationException)
        {
            // InvalidOperationException: a key that is not valid UTF-8, which the parser lets through until the key is read.
            throw new InvalidDataException($"{shown}: not a configuration file: {TerminalText.Escape(ex.Message, 160)}");
        }
    }

    // Keys are matched as the configuration matches them, ignoring case. A value that is not an object is left to the
    // configuration's own errors (the file is not an object) and to ServeOptions (Serve is not a section).
    private static void CheckKeys(JsonElement root, string shown)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (JsonProperty section in root.EnumerateObject())
        {
            if (!Sections.Contains(section.Name, StringComparer.OrdinalIgnoreCase))
            {
                throw Unknown(shown, section.Name, section.Name, "a section", Sections);
            }

            if (!section.Name.Equals(ServeOptions.SectionName, StringComparison.OrdinalIgnoreCase) || section.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            string? unknown = section.Value.EnumerateObject().Select(key => key.Name)
                .FirstOrDefault(key => !ServeOptions.Keys.Contains(key, StringComparer.OrdinalIgnoreCase));
            if (unknown is not null)
            {
                throw Unknown(shown, unknown, $"{ServeOptions.SectionName}:{unknown}", "a setting", ServeOptions.Keys);
            }
        }
    }

    // A key given twice, as the configuration reads keys (ignoring case, a ':' in a key as a level down: "LogLevel:Default" beside
    // "LogLevel": {"Default"}): it would merge the two, the later one's values winning, so a second "Serve" object or a "listen"
    // beside "Listen" silently changed the first. Every key's whole path is kept in paths.
    private static void CheckTwice(JsonElement element, string path, string shown, HashSet<string> paths)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                CheckTwice(item, $"{path}:{index++}", shown, paths);
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                string key = path.Length == 0 ? property.Name : $"{path}:{property.Name}";
                if (!paths.Add(key))
                {
                    throw new ServeConfigurationException($"{shown}: {TerminalText.Escape(key, 160)} is given twice: write it once");
                }

                CheckTwice(property.Value, key, shown, paths);
            }
        }
    }

    private static ServeConfigurationException Unknown(string shown, string name, string path, string what, IReadOnlyList<string> known) =>
        new($"{shown}: {TerminalText.Escape(path)} is not {what}" + (NearestName.Find(name, known) is string nearest
            ? $"; did you mean {nearest}?"
            : $": use {ServeOptions.OneOf(known)}"));

    /// <summary>Every <c>Logging</c> level (<c>Logging:LogLevel:Default</c>, <c>Logging:Console:LogLevel:Microsoft</c>, ...) names a level.</summary>
    /// <exception cref="ServeConfigurationException">One does not.</exception>
    public static void CheckLogLevels(IConfiguration configuration)
    {
        foreach (IConfigurationSection level in LevelSections(configuration.GetSection("Logging")).SelectMany(section => section.GetChildren()))
        {
            // A level by name only: the parse also takes numbers ("99") and lists ("Information,Debug"), and a section under a
            // category ("Default": {"x": ...}) failed while the host was built.
            if (level.Value is not string value ? level.GetChildren().Any() : !Enum.GetNames<LogLevel>().Contains(value.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                string given = level.Value is string text ? $"'{TerminalText.Escape(text)}'" : "a section";
                throw new ServeConfigurationException(
                    $"{TerminalText.Escape(level.Path, 120)}: {given} is not a log level: use one of {string.Join(", ", Enum.GetNames<LogLevel>())}");
            }
        }
    }

    private static IEnumerable<IConfigurationSection> LevelSections(IConfigurationSection logging) =>
        logging.GetChildren().SelectMany(child => child.Key.Equals("LogLevel", StringComparison.OrdinalIgnoreCase)
            ? [child]
            : child.GetChildren().Where(grandchild => grandchild.Key.Equals("LogLevel", StringComparison.OrdinalIgnoreCase)));
}
