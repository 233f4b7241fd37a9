using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using FirewallRules.Ranges;

namespace FirewallRules;

/// <summary>
/// A Datadog ip-ranges document: its version, its modification time, every section it holds (known or
/// not) and the exact bytes it was read from.
/// </summary>
/// <remarks>
/// <para>Parsing depends on no key order, whitespace or sort order, and keeps sections this library
/// does not know. Every prefix is parsed strictly (see <see cref="Cidr.PrefixParser"/>) and, by default,
/// must be public address space (see <see cref="IpRangesParseOptions.AllowNonPublicPrefixes"/>).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class IpRangesDocument
{
    private const string EmbeddedResource = "FirewallRules.Ranges.ip-ranges.json";
    private const int MaxModifiedLength = 40;
    private const int ReadChunk = 81920;
    private static readonly Lazy<IpRangesDocument> EmbeddedDocument = new(LoadEmbedded);
    private static readonly IpRangesParseOptions TrustedSnapshot = new() { AllowNonPublicPrefixes = true };
    private static readonly SearchValues<char> ModifiedCharacters = SearchValues.Create("0123456789-:.+TZ");
    private static readonly string[] ModifiedFormats =
    [
        "yyyy-MM-dd-HH-mm-ss",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    private readonly Dictionary<string, IpRangesSection> _byName;

    private IpRangesDocument(long version, string modifiedText, DateTimeOffset? modified, IReadOnlyList<IpRangesSection> sections, ReadOnlyMemory<byte> utf8Json, Site? site)
    {
        Version = version;
        ModifiedText = modifiedText;
        Modified = modified;
        SectionList = sections;
        Utf8Json = utf8Json;
        Site = site;
        _byName = sections.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>
    /// The same document, known as <paramref name="site"/>'s: a mirror serves a site's document byte for byte, so the
    /// site it mirrors (which host names depend on) is named by the caller, not by the mirror's address.
    /// </summary>
    internal IpRangesDocument WithSite(Site site) => new(Version, ModifiedText, Modified, SectionList, Utf8Json, site);

    /// <summary>The document's <c>version</c>; Datadog increments it on every change.</summary>
    public long Version { get; }

    /// <summary>
    /// When the ranges last changed (UTC), or null when <see cref="ModifiedText"/> is in no format Datadog has used
    /// (the documented <c>YYYY-MM-DD-HH-MM-SS</c>, or ISO 8601).
    /// </summary>
    public DateTimeOffset? Modified { get; }

    /// <summary>The <c>modified</c> field exactly as written (documented as <c>YYYY-MM-DD-HH-MM-SS</c>); empty when absent.</summary>
    /// <remarks>
    /// Feed text: it may be of any length and hold control characters. This library prints it only when it is in a
    /// recognised format (when <see cref="Modified"/> is not null); escape it before showing it otherwise.
    /// </remarks>
    public string ModifiedText { get; }

    /// <summary><see cref="ModifiedText"/> when it is a recognised stamp (short, digits and <c>-:.+TZ</c> only); null otherwise.</summary>
    internal string? ModifiedStamp => Modified is null ? null : ModifiedText;

    /// <summary>Every section, in document order, including ones this library does not know.</summary>
    public IReadOnlyList<IpRangesSection> SectionList { get; }

    /// <summary>The bytes the document was parsed from, unchanged.</summary>
    public ReadOnlyMemory<byte> Utf8Json { get; }

    /// <summary>The site the document came from, when known (the embedded snapshot and fetched documents know it).</summary>
    public Site? Site { get; }

    /// <summary>
    /// The snapshot shipped inside the package: US1, version 59 of 2024-10-17. It works offline and is
    /// old; fetch the live document for current ranges.
    /// </summary>
    public static IpRangesDocument Embedded => EmbeddedDocument.Value;

    /// <summary>The section called <paramref name="section"/>.</summary>
    /// <exception cref="KeyNotFoundException">The document has no such section; the message lists the ones it has.</exception>
    public IpRangesSection this[Section section] => this[Sections.GetName(section)];

    /// <summary>The section called <paramref name="name"/> (the document's key, e.g. <c>remote-configuration</c>).</summary>
    /// <exception cref="KeyNotFoundException">The document has no such section; the message lists the ones it has.</exception>
    public IpRangesSection this[string name] =>
        TryGetSection(name, out IpRangesSection? found)
            ? found
            : throw new KeyNotFoundException(
                $"ip-ranges version {Version} has no section '{name}'; it has {string.Join(", ", SectionList.Select(s => s.Name))}");

    /// <summary>Finds a section by its document key; <c>_</c> and <c>-</c> and case do not matter.</summary>
    public bool TryGetSection(string name, [NotNullWhen(true)] out IpRangesSection? section)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out section) || _byName.TryGetValue(Sections.Normalize(name), out section);
    }

    /// <summary>Finds a known section.</summary>
    public bool TryGetSection(Section section, [NotNullWhen(true)] out IpRangesSection? found) =>
        TryGetSection(Sections.GetName(section), out found);

    /// <summary>Parses a document from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The document's bytes; kept as <see cref="Utf8Json"/>.</param>
    /// <param name="site">Where it came from, when known.</param>
    /// <param name="options">Limits; <see cref="IpRangesParseOptions.Default"/> when null.</param>
    /// <exception cref="IpRangesFormatException">
    /// The JSON is invalid, a field has the wrong type, the version is missing or negative, a prefix is invalid or not public, or the body is too large.
    /// </exception>
    public static IpRangesDocument Parse(ReadOnlyMemory<byte> utf8Json, Site? site = null, IpRangesParseOptions? options = null)
    {
        options ??= IpRangesParseOptions.Default;
        if (utf8Json.Length > options.MaxBytes)
        {
            throw new IpRangesFormatException($"the document is {utf8Json.Length} bytes, more than the {options.MaxBytes} allowed", location: null);
        }

        IpRangesJsonReader.DocumentFields fields = IpRangesJsonReader.ReadDocument(utf8Json.Span, options);
        long version = fields.Version ?? throw new IpRangesFormatException("is missing: every ip-ranges document has a version", "version");
        string modifiedText = fields.Modified ?? string.Empty;
        DateTimeOffset? modified = ParseModified(modifiedText);
        var sections = fields.Sections.ConvertAll(IpRangesSection.FromFields);
        return new IpRangesDocument(version, modifiedText, modified, sections, utf8Json, site);
    }

    /// <inheritdoc cref="Parse(ReadOnlyMemory{byte}, Site?, IpRangesParseOptions?)"/>
    public static IpRangesDocument Parse(string json, Site? site = null, IpRangesParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), site, options);
    }

    /// <summary>Reads and parses a document from a stream, refusing bodies larger than <see cref="IpRangesParseOptions.MaxBytes"/> without reading them whole.</summary>
    /// <exception cref="IpRangesFormatException">As for <see cref="Parse(ReadOnlyMemory{byte}, Site?, IpRangesParseOptions?)"/>.</exception>
    public static async Task<IpRangesDocument> ReadAsync(Stream stream, Site? site = null, IpRangesParseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= IpRangesParseOptions.Default;
        byte[] bytes = await ReadLimitedAsync(stream, options.MaxBytes, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, site, options);
    }

    /// <summary>Reads a saved document from a file.</summary>
    /// <exception cref="IpRangesFormatException">The file is not a valid document.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static async Task<IpRangesDocument> LoadAsync(string path, Site? site = null, IpRangesParseOptions? options = null, CancellationToken cancellationToken = default)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            return await ReadAsync(file, site, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a saved document from a file, synchronously.</summary>
    /// <remarks>The file may be anything that can be read, a FIFO or <c>/dev/stdin</c> included: the limit counts the bytes read.</remarks>
    /// <exception cref="IpRangesFormatException">The file is not a valid document, or is larger than <see cref="IpRangesParseOptions.MaxBytes"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IpRangesDocument Load(string path, Site? site = null, IpRangesParseOptions? options = null)
    {
        options ??= IpRangesParseOptions.Default;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);

        // A regular file's length sizes the buffer (a hint only: the limit counts what is read), and the document
        // keeps that buffer rather than a copy of it.
        int expected = file.CanSeek ? (int)Math.Min(Math.Min(file.Length, options.MaxBytes), Array.MaxLength) : 0;
        using var buffer = new MemoryStream(expected);
        byte[] chunk = new byte[ReadChunk];
        for (int read; (read = file.Read(chunk)) > 0;)
        {
            Append(buffer, chunk.AsSpan(0, read), options.MaxBytes);
        }

        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), site, options);
    }

    internal static async Task<byte[]> ReadLimitedAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[ReadChunk];
        for (int read; (read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0;)
        {
            Append(buffer, chunk.AsSpan(0, read), maxBytes);
        }

        return buffer.ToArray();
    }

    /// <summary>Adds what was read, refusing a document that grows past <paramref name="maxBytes"/> before more is read.</summary>
    private static void Append(MemoryStream buffer, ReadOnlySpan<byte> chunk, long maxBytes)
    {
        if (buffer.Length + chunk.Length > maxBytes)
        {
            throw new IpRangesFormatException($"the document is larger than the {maxBytes} bytes allowed", location: null);
        }

        buffer.Write(chunk);
    }

    /// <summary>
    /// The stamp as a time when it is in a format Datadog has used: the documented <c>YYYY-MM-DD-HH-MM-SS</c>
    /// (UTC) or ISO 8601 with a <c>T</c>. Anything else, of any length, is kept as <see cref="ModifiedText"/> only.
    /// </summary>
    internal static DateTimeOffset? ParseModified(string text)
    {
        // The characters of those formats and nothing else, so that a recognised stamp is safe to print anywhere.
        if (text.Length > MaxModifiedLength || text.AsSpan().ContainsAnyExcept(ModifiedCharacters))
        {
            return null;
        }

        const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        return DateTimeOffset.TryParseExact(text, ModifiedFormats, CultureInfo.InvariantCulture, Utc, out DateTimeOffset modified)
            ? modified
            : null;
    }

    private static IpRangesDocument LoadEmbedded()
    {
        using Stream stream = typeof(IpRangesDocument).Assembly.GetManifestResourceStream(EmbeddedResource)
            ?? throw new InvalidOperationException($"The embedded snapshot '{EmbeddedResource}' is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        // The snapshot is checked against the public-address policy by the tests; skipping it here
        // keeps that work out of every start of the command-line tool.
        return Parse(copy.ToArray(), Site.US1, TrustedSnapshot);
    }

    /// <summary>What changed from this document to <paramref name="newer"/>: sections, prefixes as listed and aggregated, locations.</summary>
    /// <param name="newer">The document to compare with; usually a later version, though any document works.</param>
    /// <exception cref="ArgumentNullException"><paramref name="newer"/> is null.</exception>
    public IpRangesDiff DiffTo(IpRangesDocument newer) => IpRangesDiff.Between(this, newer);

    /// <summary>For example <c>ip-ranges version 52 (2022-11-14-22-00-00)</c>.</summary>
    public override string ToString() =>
        ModifiedStamp is string stamp ? $"ip-ranges version {Version} ({stamp})" : $"ip-ranges version {Version}";
}
