using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using FirewallRules.IO;
using Microsoft.AspNetCore.Http;

namespace FirewallRules.Server;

/// <summary>
/// A response made once and sent many times: the status, the body and its gzip form, and the validators
/// (<c>ETag</c>, <c>Last-Modified</c>) that let clients ask again cheaply.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class Representation
{
    private const string GzipSuffix = "-gzip";

    private Representation(int status, string contentType, byte[] body, byte[]? gzip, string? entityTag, DateTimeOffset? lastModified)
    {
        Status = status;
        ContentType = contentType;
        Body = body;
        Gzip = gzip;
        EntityTag = entityTag;
        LastModified = lastModified;
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The media type, with its charset for text.</summary>
    public string ContentType { get; }

    /// <summary>The body as it is.</summary>
    public byte[] Body { get; }

    /// <summary>The body compressed with gzip; null when that would not make it smaller.</summary>
    public byte[]? Gzip { get; }

    /// <summary>
    /// The opaque part of the strong entity tag of <see cref="Body"/> (a digest of it, so every mirror serving
    /// the same bytes agrees); the gzip form's tag adds <c>-gzip</c>. Null for errors, which are not cached.
    /// </summary>
    public string? EntityTag { get; }

    /// <summary>When the content last changed: the ip-ranges document's own date.</summary>
    public DateTimeOffset? LastModified { get; }

    /// <summary>A 200 response whose validators are computed from <paramref name="body"/>.</summary>
    public static Representation Ok(string contentType, byte[] body, DateTimeOffset? lastModified)
    {
        string tag = Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12));
        byte[] gzip = Compress(body);
        return new(StatusCodes.Status200OK, contentType, body, gzip.Length < body.Length ? gzip : null, tag, lastModified);
    }

    /// <summary>A 200 text/plain response (UTF-8).</summary>
    public static Representation Text(string text, DateTimeOffset? lastModified, string contentType = "text/plain; charset=utf-8") =>
        Ok(contentType, Encoding.UTF8.GetBytes(text), lastModified);

    /// <summary>
    /// An error with a one-line explanation as text; never cached by clients. What it quotes of the request is escaped as the CLI
    /// escapes it, so a crafted link opened with curl puts no escape sequence on the client's terminal.
    /// </summary>
    public static Representation Error(int status, string message) =>
        new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(TerminalText.EscapeWhole(message) + "\n"), gzip: null, entityTag: null, lastModified: null);

    /// <summary>The quoted entity tag of the form sent: <c>"…"</c> or, compressed, <c>"…-gzip"</c>.</summary>
    public string QuotedEntityTag(bool gzip) => $"\"{EntityTag}{(gzip ? GzipSuffix : string.Empty)}\"";

    /// <summary>
    /// Whether an entity tag a client holds (weak or strong, either form) names this content: a client that
    /// cached the gzip form may ask without gzip next time and still be answered 304.
    /// </summary>
    public bool Matches(string quotedTag)
    {
        if (EntityTag is null)
        {
            return false;
        }

        ReadOnlySpan<char> tag = quotedTag.AsSpan();
        tag = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
        tag = tag.Trim('"');
        tag = tag.EndsWith(GzipSuffix, StringComparison.Ordinal) ? tag[..^GzipSuffix.Length] : tag;
        return tag.SequenceEqual(EntityTag);
    }

    private static byte[] Compress(byte[] body)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return compressed.ToArray();
    }
}
