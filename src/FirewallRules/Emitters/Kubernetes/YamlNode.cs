using System.Globalization;
using System.Text;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// A value of the fixed document shapes the Kubernetes formats write (maps, lists, strings, numbers), written as
/// block YAML by <see cref="Write"/>.
/// </summary>
/// <remarks>
/// <para>A writer of our own rather than YamlDotNet: these documents have a handful of shapes, its reflection-based
/// serializer is not trim-safe (the single-file <c>fwrules</c> is trimmed, with no trim warnings), and its event
/// emitter would still leave quoting decisions to us while adding an assembly to load at start-up (measured in
/// benchmarks/README.md, "YAML writer").</para>
/// <para>Block YAML composes: a list item's text does not depend on its siblings, so the size of an object is its
/// frame plus the sum of its items' sizes (what <see cref="KubernetesObjects"/> packs by).</para>
/// </remarks>
internal abstract class YamlNode
{
    /// <summary>A string: plain when nothing could read it as another type, otherwise double-quoted and escaped.</summary>
    public static YamlNode Text(string text) => new YamlScalar(YamlScalar.Quote(text));

    /// <summary>An integer.</summary>
    public static YamlNode Number(int number) => new YamlScalar(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>A map with the entries in this order; entries whose value is null are left out.</summary>
    public static YamlNode Map(params (string Key, YamlNode? Value)[] entries) =>
        new YamlMap([.. entries.Where(e => e.Value is not null).Select(e => (e.Key, e.Value!))]);

    /// <summary>A list.</summary>
    public static YamlNode List(IEnumerable<YamlNode> items) => new YamlList([.. items]);

    /// <summary>A list of strings.</summary>
    public static YamlNode List(params string[] items) => List(items.Select(Text));

    /// <summary>Writes the node as a top-level block value (a document's body) at <paramref name="indent"/>.</summary>
    public string Write(int indent = 0)
    {
        var text = new StringBuilder();
        WriteBlock(text, indent);
        return text.ToString();
    }

    /// <summary>Writes the node in block style, each line starting at <paramref name="indent"/>.</summary>
    internal abstract void WriteBlock(StringBuilder text, int indent);

    /// <summary>Whether the node is written on the line of its key (a scalar, or an empty map or list).</summary>
    internal abstract bool IsInline { get; }

    /// <summary>The inline form, for <see cref="IsInline"/> nodes.</summary>
    internal abstract string Inline { get; }

    private sealed class YamlScalar(string text) : YamlNode
    {
        // YAML 1.1 reads these plain words as booleans or null (PyYAML and older parsers still do).
        private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "y", "n", "yes", "no", "true", "false", "on", "off", "null" };

        internal override bool IsInline => true;

        internal override string Inline => text;

        internal override void WriteBlock(StringBuilder builder, int indent) => builder.Append(' ', indent).Append(text).Append('\n');

        /// <summary>
        /// Plain for a word starting with a letter (not a YAML 1.1 keyword) or a prefix with a <c>/</c>, in letters,
        /// digits and <c>. _ / : -</c> only, which no YAML type but string matches; everything else double-quoted with
        /// every character outside printable ASCII, quotes and backslashes escaped.
        /// </summary>
        public static string Quote(string text)
        {
            bool safeCharacters = text.Length > 0 && char.IsAsciiLetterOrDigit(text[0]) && text[^1] != ':'
                && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or ':' or '-');
            if (safeCharacters && (text.Contains('/', StringComparison.Ordinal) || (char.IsAsciiLetter(text[0]) && !Reserved.Contains(text))))
            {
                return text;
            }

            var quoted = new StringBuilder(text.Length + 2).Append('"');
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    quoted.Append(CultureInfo.InvariantCulture, $"\\U{char.ConvertToUtf32(c, text[++i]):X8}");
                    continue;
                }

                _ = c switch
                {
                    '"' => quoted.Append("\\\""),
                    '\\' => quoted.Append("\\\\"),
                    >= ' ' and <= '~' => quoted.Append(c),
                    _ when char.IsSurrogate(c) => quoted.Append("\\uFFFD"),
                    _ => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                };
            }

            return quoted.Append('"').ToString();
        }
    }

    private sealed class YamlMap(IReadOnlyList<(string Key, YamlNode Value)> entries) : YamlNode
    {
        internal override bool IsInline => entries.Count == 0;

        internal override string Inline => "{}";

        internal override void WriteBlock(StringBuilder text, int indent)
        {
            foreach ((string key, YamlNode value) in entries)
            {
                text.Append(' ', indent).Append(YamlScalar.Quote(key)).Append(':');
                WriteValue(text, value, indent, indent + 2);
            }
        }
    }

    private sealed class YamlList(IReadOnlyList<YamlNode> items) : YamlNode
    {
        internal override bool IsInline => items.Count == 0;

        internal override string Inline => "[]";

        internal override void WriteBlock(StringBuilder text, int indent)
        {
            foreach (YamlNode item in items)
            {
                text.Append(' ', indent).Append('-');
                if (item.IsInline)
                {
                    text.Append(' ').Append(item.Inline).Append('\n');
                }
                else if (item is YamlMap)
                {
                    // "- key: value" with the map's other keys under the first one.
                    int start = text.Length;
                    item.WriteBlock(text, indent + 2);
                    text.Remove(start, indent + 1);
                }
                else
                {
                    text.Append('\n');
                    item.WriteBlock(text, indent + 2);
                }
            }
        }
    }

    // A value after "key:": inline on the same line, a map on the next lines indented, a list at the key's indent.
    private static void WriteValue(StringBuilder text, YamlNode value, int keyIndent, int mapIndent)
    {
        if (value.IsInline)
        {
            text.Append(' ').Append(value.Inline).Append('\n');
            return;
        }

        text.Append('\n');
        value.WriteBlock(text, value is YamlList ? keyIndent : mapIndent);
    }
}
