using System.Text.Json;
using FirewallRules.IO;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Server;

/// <summary>
/// <c>serve --config</c>'s JSON file, read within bounds (a regular file of at most 4 MiB: a FIFO or a device is refused
/// rather than waited on), and its <c>Logging</c> section checked before the host starts, so that a log level that does
/// not exist is one line naming its key, not a failure while the host builds.
/// </summary>
internal static class MirrorConfigurationFile
{
    /// <summary>Adds <paramref name="path"/>'s settings to <paramref name="configuration"/>.</summary>
    /// <exception cref="IOException">The file cannot be read, is not a regular file, or is too large.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON object (bad input, exit 1, as a file that cannot be read).</exception>
    public static void Add(IConfigurationBuilder configuration, string path)
    {
        byte[] bytes = InputFile.ReadAllBytes(path);
        string shown = TerminalText.EscapeWhole(path);
        try
        {
            // Parsed once here for the error's place; the configuration parses the same bytes.
            using (JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
            {
            }

            configuration.AddJsonStream(new MemoryStream(bytes));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{shown}:{(ex.LineNumber ?? 0) + 1}: not valid JSON (byte {(ex.BytePositionInLine ?? 0) + 1} of the line)");
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{shown}: not a configuration file: {TerminalText.Escape(ex.Message, 160)}");
        }
    }

    /// <summary>Every <c>Logging</c> level (<c>Logging:LogLevel:Default</c>, <c>Logging:Console:LogLevel:Microsoft</c>, ...) names a level.</summary>
    /// <exception cref="ServeConfigurationException">One does not.</exception>
    public static void CheckLogLevels(IConfiguration configuration)
    {
        foreach (IConfigurationSection level in LevelSections(configuration.GetSection("Logging")).SelectMany(section => section.GetChildren()))
        {
            if (level.Value is string value && !Enum.TryParse(value, ignoreCase: true, out LogLevel _))
            {
                throw new ServeConfigurationException(
                    $"{TerminalText.Escape(level.Path, 120)}: '{TerminalText.Escape(value)}' is not a log level: use one of {string.Join(", ", Enum.GetNames<LogLevel>())}");
            }
        }
    }

    private static IEnumerable<IConfigurationSection> LevelSections(IConfigurationSection logging) =>
        logging.GetChildren().SelectMany(child => child.Key.Equals("LogLevel", StringComparison.OrdinalIgnoreCase)
            ? [child]
            : child.GetChildren().Where(grandchild => grandchild.Key.Equals("LogLevel", StringComparison.OrdinalIgnoreCase)));
}
