using System.Buffers;
using System.Globalization;
using System.Text;
using FirewallRules.Cidr;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// A value of the fixed document shapes the Kubernetes formats write (maps, lists, strings, numbers, and lists of
/// prefixes), written as block YAML straight to a <see cref="TextWriter"/> by <see cref="Write(TextWriter)"/>.
/// </summary>
/// <remarks>
/// <para>A writer of our own rather than YamlDotNet: these documents have a handful of shapes, its reflection-based
/// serializer is not trim-safe (the single-file <c>fwrules</c> is trimmed, with no trim warnings), and its event
/// emitter would still leave quoting decisions to us while adding an assembly to load at start-up (measured in
/// benchmarks/README.md, "YAML writer").</para>
/// <para>Block YAML composes: a list item's text does not depend on its siblings, so the size of an object is its
/// frame plus the sum of its items' sizes (what <see cref="KubernetesObjects"/> packs by). A list of prefixes
/// (<see cref="Prefixes"/>) keeps them as numbers and writes each one's text as it goes, so a document of any length
/// holds no string per prefix.</para>
/// </remarks>
internal abstract class YamlNode
{
    private const string Spaces = "                                ";

    /// <summary>A string: plain when nothing could read it as another type, otherwise double-quoted and escaped.</summary>
    public static YamlNode Text(string text) => new YamlScalar(YamlScalar.Quote(text));

    /// <summary>An integer.</summary>
    public static YamlNode Number(int number) => new YamlScalar(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>A boolean scalar, unquoted.</summary>
    public static YamlNode Bool(bool value) => new YamlScalar(value ? "true" : "false");

    /// <summary>A map with the entries in this order; entries whose value is null are left out.</summary>
    public static YamlNode Map(params (string Key, YamlNode? Value)[] entries) =>
        new YamlMap([.. entries.Where(e => e.Value is not null).Select(e => (e.Key, e.Value!))]);

    /// <summary>A list.</summary>
    public static YamlNode List(IEnumerable<YamlNode> items) => new YamlList([.. items]);

    /// <summary>A list of strings.</summary>
    public static YamlNode List(params string[] items) => List(items.Select(Text));

    /// <summary>
    /// A list of <paramref name="prefixes"/>, in order, each item the prefix under <paramref name="keys"/>: none for the
    /// prefix itself (<c>- 192.0.2.0/24</c>), <c>cidr</c> for a map holding it (<c>- cidr: 192.0.2.0/24</c>), and so on
    /// inwards. The same text as a <see cref="List(IEnumerable{YamlNode})"/> of those maps, without making them.
    /// </summary>
    public static YamlNode Prefixes(PrefixSet prefixes, params string[] keys) => new YamlPrefixList(prefixes, keys);

    /// <summary>The length of the prefix at <paramref name="index"/> of <paramref name="prefixes"/> as a scalar (quoted when it must be).</summary>
    public static int ScalarLength(PrefixSet prefixes, int index)
    {
        Span<char> text = stackalloc char[AddressText.MaxPrefixLength];
        text = text[..prefixes.FormatAt(index, text)];
        return YamlScalar.IsPlain(text) ? text.Length : YamlScalar.Quote(text.ToString()).Length;
    }

    /// <summary>The size in UTF-8 bytes of what <see cref="Write(TextWriter)"/> writes, counted as it is written: nothing is kept.</summary>
    public int ByteCount()
    {
        using var counter = new Utf8Counter();
        Write(counter);
        return counter.Bytes;
    }

    /// <summary>Writes the node as a top-level block value (a document's body) to <paramref name="output"/>.</summary>
    public void Write(TextWriter output) => WriteBlock(output, 0);

    /// <summary>Writes the node in block style, each line starting at <paramref name="indent"/>.</summary>
    internal abstract void WriteBlock(TextWriter output, int indent);

    /// <summary>Whether the node is written on the line of its key (a scalar, or an empty map or list).</summary>
    internal abstract bool IsInline { get; }

    /// <summary>The inline form, for <see cref="IsInline"/> nodes.</summary>
    internal abstract string Inline { get; }

    /// <summary>Whether the node is a list, which block YAML writes at its key's indent.</summary>
    internal virtual bool IsList => false;

    // Spaces to column indent; with a dash, the last two are "- " (the first line of a map that is a list item).
    private static void Indent(TextWriter output, int indent, bool dashed = false)
    {
        for (int left = dashed ? indent - 2 : indent; left > 0; left -= Spaces.Length)
        {
            output.Write(Spaces.AsSpan(0, Math.Min(left, Spaces.Length)));
        }

        if (dashed)
        {
            output.Write("- ");
        }
    }

    private sealed class YamlScalar(string text) : YamlNode
    {
        // YAML 1.1 reads these plain words as booleans or null (PyYAML and older parsers still do).
        private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "y", "n", "yes", "no", "true", "false", "on", "off", "null" };

        private static readonly SearchValues<char> PlainCharacters =
            SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:-");

        internal override bool IsInline => true;

        internal override string Inline => text;

        internal override void WriteBlock(TextWriter output, int indent)
        {
            Indent(output, indent);
            output.Write(text);
            output.Write('\n');
        }

        /// <summary>
        /// Plain for a word starting with a letter (not a YAML 1.1 keyword) or a prefix with a <c>/</c>, in letters,
        /// digits and <c>. _ / : -</c> only, which no YAML type but string matches.
        /// </summary>
        public static bool IsPlain(ReadOnlySpan<char> text)
        {
            bool safeCharacters = text.Length > 0 && char.IsAsciiLetterOrDigit(text[0]) && text[^1] != ':' && !text.ContainsAnyExcept(PlainCharacters);
            return safeCharacters && (text.Contains('/') || (char.IsAsciiLetter(text[0]) && !Reserved.GetAlternateLookup<ReadOnlySpan<char>>().Contains(text)));
        }

        /// <summary>
        /// The text as written: as it is when <see cref="IsPlain"/>, otherwise double-quoted with every character outside
        /// printable ASCII, quotes and backslashes escaped.
        /// </summary>
        public static string Quote(string text)
        {
            if (IsPlain(text))
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

        internal override void WriteBlock(TextWriter output, int indent) => WriteEntries(output, indent, dashed: false);

        /// <summary>Writes the entries at <paramref name="indent"/>; <paramref name="dashed"/> for a list item (<c>- key: value</c>).</summary>
        public void WriteEntries(TextWriter output, int indent, bool dashed)
        {
            foreach ((string key, YamlNode value) in entries)
            {
                Indent(output, indent, dashed);
                dashed = false;
                output.Write(YamlScalar.Quote(key));
                output.Write(':');
                WriteValue(output, value, indent);
            }
        }
    }

    private sealed class YamlList(IReadOnlyList<YamlNode> items) : YamlNode
    {
        internal override bool IsInline => items.Count == 0;

        internal override string Inline => "[]";

        internal override bool IsList => true;

        internal override void WriteBlock(TextWriter output, int indent)
        {
            foreach (YamlNode item in items)
            {
                if (item is YamlMap { IsInline: false } map)
                {
                    // "- key: value" with the map's other keys under the first one.
                    map.WriteEntries(output, indent + 2, dashed: true);
                    continue;
                }

                Indent(output, indent);
                output.Write('-');
                if (item.IsInline)
                {
                    output.Write(' ');
                    output.Write(item.Inline);
                    output.Write('\n');
                }
                else
                {
                    output.Write('\n');
                    item.WriteBlock(output, indent + 2);
                }
            }
        }
    }

    // Written as a list of maps nested along the keys would be, each item's text made from the prefix's numbers.
    private sealed class YamlPrefixList(PrefixSet prefixes, string[] keys) : YamlNode
    {
        internal override bool IsInline => prefixes.IsEmpty;

        internal override string Inline => "[]";

        internal override bool IsList => true;

        internal override void WriteBlock(TextWriter output, int indent)
        {
            string lead = Lead(indent);
            Span<char> text = stackalloc char[AddressText.MaxPrefixLength];
            for (int i = 0; i < prefixes.Count; i++)
            {
                ReadOnlySpan<char> prefix = text[..prefixes.FormatAt(i, text)];
                output.Write(lead);
                if (YamlScalar.IsPlain(prefix))
                {
                    output.Write(prefix);
                }
                else
                {
                    output.Write(YamlScalar.Quote(prefix.ToString()));
                }

                output.Write('\n');
            }
        }

        // What comes before each prefix: "- ", or "- key:" with each inner key on its own line two columns further in.
        private string Lead(int indent)
        {
            using var lead = new StringWriter(CultureInfo.InvariantCulture);
            Indent(lead, indent + 2, dashed: true);
            for (int k = 0; k < keys.Length; k++)
            {
                if (k > 0)
                {
                    lead.Write('\n');
                    Indent(lead, indent + 2 + (2 * k));
                }

                lead.Write(YamlScalar.Quote(keys[k]));
                lead.Write(':');
            }

            if (keys.Length > 0)
            {
                lead.Write(' ');
            }

            return lead.ToString();
        }
    }

    private sealed class Utf8Counter : TextWriter
    {
        public int Bytes { get; private set; }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

        public override void Write(ReadOnlySpan<char> buffer) => Bytes += Encoding.UTF8.GetByteCount(buffer);

        public override void Write(string? value) => Write(value.AsSpan());

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));
    }

    // A value after "key:": inline on the same line, a map on the next lines indented, a list at the key's indent.
    private static void WriteValue(TextWriter output, YamlNode value, int keyIndent)
    {
        if (value.IsInline)
        {
            output.Write(' ');
            output.Write(value.Inline);
            output.Write('\n');
            return;
        }

        output.Write('\n');
        value.WriteBlock(output, value.IsList ? keyIndent : keyIndent + 2);
    }
}
