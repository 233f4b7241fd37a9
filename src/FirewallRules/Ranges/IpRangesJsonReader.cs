using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using FirewallRules.Cidr;
using FirewallRules.IO;

namespace FirewallRules.Ranges;

/// <summary>
/// Reads ip-ranges JSON in one forward pass. The documents are maps with open-ended keys (sections,
/// locations), so a typed serializer adds little but start-up work: its metadata and encoder cost
/// about 20 ms of the command-line tool's 100 ms start. Reading token by token also knows exactly
/// where it is when something is wrong.
/// </summary>
/// <remarks>Nothing here depends on key order or whitespace; duplicate keys are refused at every level.</remarks>
internal ref struct IpRangesJsonReader
{
    private Utf8JsonReader _json;

    private readonly IpRangesParseOptions _options;

    // The section being read, for syntax errors, which the reader reports by line and byte only.
    private string? _section;

    private IpRangesJsonReader(ReadOnlySpan<byte> utf8Json, IpRangesParseOptions options)
    {
        _json = new Utf8JsonReader(utf8Json, isFinalBlock: true, state: default);
        _options = options;
    }

    /// <summary>The fields of a whole document: <c>version</c>, <c>modified</c>, and every section, its prefixes parsed as they are read.</summary>
    /// <exception cref="IpRangesFormatException">
    /// The JSON is invalid, has duplicate keys or a field of the wrong type, or a prefix is invalid or not allowed by <paramref name="options"/>.
    /// </exception>
    public static DocumentFields ReadDocument(ReadOnlySpan<byte> utf8Json, IpRangesParseOptions options)
    {
        CheckUtf8(utf8Json);
        var reader = new IpRangesJsonReader(utf8Json, options);
        try
        {
            return reader.ReadDocument();
        }
        catch (JsonException ex)
        {
            throw reader.Syntax(ex);
        }
    }

    /// <summary>The fields of a per-section document (<c>/logs.json</c>): the section's fields at the root.</summary>
    /// <exception cref="IpRangesFormatException">As for <see cref="ReadDocument(ReadOnlySpan{byte}, IpRangesParseOptions)"/>.</exception>
    public static SectionFields ReadSectionDocument(string name, ReadOnlySpan<byte> utf8Json, IpRangesParseOptions options)
    {
        CheckUtf8(utf8Json);
        var reader = new IpRangesJsonReader(utf8Json, options);
        try
        {
            reader.Read();
            SectionFields section = reader.ReadSection(name);
            reader.ReadEnd();
            return section;
        }
        catch (JsonException ex)
        {
            throw reader.Syntax(ex);
        }
    }

    private DocumentFields ReadDocument()
    {
        Read();
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw new IpRangesFormatException($"wrong type: expected an object, found {Describe(_json.TokenType)}", location: null);
        }

        long? version = null;
        string? modified = null;
        var sections = new List<SectionFields>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (ReadPropertyName(seen, location: null) is string name)
        {
            switch (name)
            {
                case "version":
                    version = ReadVersion();
                    break;
                case "modified":
                    modified = ReadModified();
                    break;
                case var _ when _json.TokenType == JsonTokenType.StartObject || Sections.TryParse(name, out _):
                    // Objects are sections, including ones added after this library; a known section
                    // must be an object. Other root fields (none exist today) stay in the raw JSON only.
                    sections.Add(ReadSection(name));
                    break;
                default:
                    _json.Skip();
                    break;
            }
        }

        ReadEnd();
        return new DocumentFields(version, modified, sections);
    }

    private SectionFields ReadSection(string name)
    {
        string key = IpRangesSection.CheckKey(name, "section name", location: null);
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw new IpRangesFormatException($"expected an object with prefixes_ipv4 and prefixes_ipv6, found {Describe(_json.TokenType)}", key);
        }

        _section = key;
        var section = new SectionFields(key);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (ReadPropertyName(seen, key) is string field)
        {
            string location = $"{key}.{field}";
            switch (field)
            {
                case "prefixes_ipv4":
                    ReadPrefixes(location, ipv6: false, section.Listed);
                    break;
                case "prefixes_ipv6":
                    ReadPrefixes(location, ipv6: true, section.Listed);
                    break;
                case "prefixes_ipv4_by_location":
                    ReadLocations(location, ipv6: false, section.ByLocation);
                    break;
                case "prefixes_ipv6_by_location":
                    ReadLocations(location, ipv6: true, section.ByLocation);
                    break;
                default:
                    _json.Skip(); // other fields, such as a per-section document's own header
                    break;
            }
        }

        _section = null;
        return section;
    }

    /// <summary>Reads an array of prefixes of one family into <paramref name="into"/>; null is an empty list.</summary>
    private void ReadPrefixes(string location, bool ipv6, PrefixBlocks into)
    {
        if (_json.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (_json.TokenType != JsonTokenType.StartArray)
        {
            throw new IpRangesFormatException($"wrong type: expected an array of strings, found {Describe(_json.TokenType)}", location);
        }

        for (int index = 0; Read() != JsonTokenType.EndArray; index++)
        {
            switch (_json.TokenType)
            {
                case JsonTokenType.String:
                    ReadPrefix(location, index, ipv6, into);
                    break;
                case JsonTokenType.Null:
                    throw new IpRangesFormatException("null instead of a prefix", $"{location}[{index}]");
                default:
                    throw new IpRangesFormatException($"wrong type: expected a string, found {Describe(_json.TokenType)}", $"{location}[{index}]");
            }
        }
    }

    /// <summary>
    /// Parses the current string as a prefix straight from the document's bytes (no string is made for a valid one),
    /// checks its family and, unless the options allow any, that it is public address space.
    /// </summary>
    private readonly void ReadPrefix(string location, int index, bool ipv6, PrefixBlocks into)
    {
        ReadOnlySpan<byte> token = _json.ValueSpan;
        CidrBlock<uint> v4;
        CidrBlock<UInt128> v6;
        bool isIPv6;
        if (!_json.ValueIsEscaped && Ascii.IsValid(token))
        {
            PrefixError error = AddressText.TryParse(token, PrefixParseOptions.None, out ParsedPrefix parsed);
            if (error != PrefixError.None)
            {
                throw new IpRangesFormatException(AddressText.Describe(error, token, parsed), $"{location}[{index}]");
            }

            isIPv6 = parsed.IsIPv6;
            v4 = new(parsed.V4, parsed.Length);
            v6 = isIPv6 ? new(parsed.V6, parsed.Length) : default;
        }
        else
        {
            // Escapes and other characters: the text, and the parser's messages for it, as a string.
            string text = ReadString($"{location}[{index}]");
            isIPv6 = PrefixParser.TryParse(text, PrefixParseOptions.None, out IPNetwork prefix, out string? error)
                ? Interop.IsIPv6(prefix, out v4, out v6)
                : throw new IpRangesFormatException(error, $"{location}[{index}]");
        }

        if (isIPv6 != ipv6)
        {
            string text = ReadString($"{location}[{index}]");
            throw new IpRangesFormatException(
                $"\"{text}\" is {(ipv6 ? "IPv4" : "IPv6")} in a list of {(ipv6 ? "IPv6" : "IPv4")} prefixes", $"{location}[{index}]");
        }

        if (!_options.AllowNonPublicPrefixes && !(ipv6 ? PublicAddressPolicy.IsPlausible(v6) : PublicAddressPolicy.IsPlausible(v4)))
        {
            IPNetwork prefix = ipv6 ? Interop.ToNetwork(v6) : Interop.ToNetwork(v4);
            throw new IpRangesFormatException(PublicAddressPolicy.Check(prefix)!, $"{location}[{index}]");
        }

        if (ipv6)
        {
            into.IPv6.Add(v6);
        }
        else
        {
            into.IPv4.Add(v4);
        }
    }

    /// <summary>Reads an object of location keys to arrays of prefixes of one family; a key read twice (once per family) adds up.</summary>
    private void ReadLocations(string location, bool ipv6, Dictionary<string, PrefixBlocks> into)
    {
        if (_json.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw new IpRangesFormatException($"wrong type: expected an object mapping locations to arrays, found {Describe(_json.TokenType)}", location);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (ReadPropertyName(seen, location) is string name)
        {
            string key = IpRangesSection.CheckKey(name, "location key", location);
            if (!into.TryGetValue(key, out PrefixBlocks? blocks))
            {
                into[key] = blocks = new PrefixBlocks();
            }

            ReadPrefixes($"{location}[\"{key}\"]", ipv6, blocks);
        }
    }

    /// <summary>Moves to the next property's value and returns its name, or null at the end of the object.</summary>
    private string? ReadPropertyName(HashSet<string> seen, string? location)
    {
        if (Read() == JsonTokenType.EndObject)
        {
            return null;
        }

        string name = ReadString(location);
        if (!seen.Add(name))
        {
            // Two values for one key: which one a consumer sees would depend on its parser.
            string shown = TerminalText.Escape(name);
            throw new IpRangesFormatException($"duplicate key '{shown}'", location is null ? shown : $"{location}.{shown}");
        }

        Read();
        return name;
    }

    /// <summary>The version, a whole number not below 0; null when the value is null.</summary>
    private long? ReadVersion()
    {
        if (_json.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (_json.TokenType == JsonTokenType.Number && _json.TryGetInt64(out long version))
        {
            return version >= 0 ? version : throw new IpRangesFormatException($"must not be negative, found {version}", "version");
        }

        // Quote what is there (a string, a fraction, an object), cut short and escaped.
        string found = TerminalText.Escape(JsonElement.ParseValue(ref _json).GetRawText());
        throw new IpRangesFormatException($"must be a whole number, found {found}", "version");
    }

    /// <summary>The modified stamp as written; null when the value is null.</summary>
    private string? ReadModified() => _json.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => ReadString("modified"),
        _ => throw new IpRangesFormatException($"must be a string, found {Describe(_json.TokenType)}", "modified"),
    };

    /// <summary>The current string or property name; a lone surrogate escape (<c>"\ud800"</c>) is refused at <paramref name="location"/>.</summary>
    private readonly string ReadString(string? location)
    {
        try
        {
            return _json.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // The bytes are valid UTF-8 (checked up front), so only an escape can make text that is not Unicode.
            throw new IpRangesFormatException("invalid text: a \\u escape is half of a surrogate pair without the other half", location);
        }
    }

    /// <summary>
    /// JSON text is UTF-8 (RFC 8259). The reader checks that only when a string is turned into text, and
    /// then throws without a location, so the whole document is checked first.
    /// </summary>
    private static void CheckUtf8(ReadOnlySpan<byte> utf8Json)
    {
        if (Utf8.IsValid(utf8Json))
        {
            return;
        }

        int at = 0;
        while (Rune.DecodeFromUtf8(utf8Json[at..], out _, out int consumed) == OperationStatus.Done)
        {
            at += consumed;
        }

        ReadOnlySpan<byte> before = utf8Json[..at];
        int line = before.Count((byte)'\n') + 1;
        int column = at - (before.LastIndexOf((byte)'\n') + 1) + 1;
        throw new IpRangesFormatException($"invalid UTF-8 at line {line}, byte {column}: JSON text must be UTF-8", location: null);
    }

    private JsonTokenType Read() =>
        // With the whole document in hand the reader throws on truncation, so false means nothing is left.
        _json.Read() ? _json.TokenType : throw new IpRangesFormatException("invalid JSON: the document is empty or ends early", _section);

    private void ReadEnd()
    {
        // Anything but whitespace after the root value is a syntax error, thrown by the reader.
        _json.Read();
    }

    private readonly IpRangesFormatException Syntax(JsonException exception) => new(
        exception.LineNumber is long line
            ? $"invalid JSON at line {line + 1}, byte {exception.BytePositionInLine + 1}: {FirstSentence(exception.Message)}"
            : $"invalid JSON: {FirstSentence(exception.Message)}",
        _section,
        exception);

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>A document's header fields, null where absent or null, and its sections.</summary>
    internal sealed record DocumentFields(long? Version, string? Modified, List<SectionFields> Sections);

    /// <summary>A section's prefixes as read: the two lists, and each location's (both families together).</summary>
    internal sealed class SectionFields(string name)
    {
        public string Name { get; } = name;

        /// <summary><c>prefixes_ipv4</c> and <c>prefixes_ipv6</c>, in the document's order; empty where absent or null.</summary>
        public PrefixBlocks Listed { get; } = new();

        /// <summary>The <c>..._by_location</c> lists by key.</summary>
        public Dictionary<string, PrefixBlocks> ByLocation { get; } = new(StringComparer.Ordinal);
    }
}
