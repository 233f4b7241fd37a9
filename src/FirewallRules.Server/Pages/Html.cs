using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;

namespace FirewallRules.Server.Pages;

/// <summary>
/// Writes the mirror's HTML pages. Every value that comes from a document, a request or a fetch's message goes
/// through <see cref="Text"/> (HTML-escaped, control characters replaced): documents are untrusted input.
/// </summary>
internal sealed class Html
{
    /// <summary>The Content-Security-Policy of every page: nothing but the mirror itself, no inline script or style.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    /// <summary>The longest document text (a <c>modified</c> field) shown before it is cut.</summary>
    public const int MaxShownText = 200;

    private readonly StringBuilder _html = new(16 * 1024);

    /// <summary>Starts a page: head, the stylesheet and script from the mirror, the navigation.</summary>
    public static Html Page(string title, IEnumerable<(string Href, string Label)> navigation, string? feed = null)
    {
        var page = new Html();
        page.Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<meta name=\"color-scheme\" content=\"light dark\">")
            .Raw("<title>").Text(title).Raw(" · fwrules serve</title>")
            .Raw("<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">")
            .Raw("<link rel=\"stylesheet\" href=\"/static/page.css\"><script src=\"/static/page.js\" defer></script>");
        if (feed is not null)
        {
            page.Raw("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Changes\" href=\"").Text(feed).Raw("\">");
        }

        page.Raw("</head><body><a class=\"skip\" href=\"#main\">Skip to content</a><header><nav aria-label=\"Pages\"><ul>");
        foreach ((string href, string label) in navigation)
        {
            page.Raw("<li><a href=\"").Text(href).Raw("\">").Text(label).Raw("</a></li>");
        }

        return page.Raw("</ul></nav></header><main id=\"main\"><h1>").Text(title).Raw("</h1>");
    }

    /// <summary>Markup written as it is: only literals of this assembly, never a value.</summary>
    public Html Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    /// <summary>A value, escaped for text and attribute values alike.</summary>
    public Html Text(string? value)
    {
        _html.Append(Escape(value));
        return this;
    }

    /// <summary>Text of many lines (for <c>pre</c>): each line escaped, control characters replaced, nothing cut.</summary>
    public Html Lines(string value)
    {
        foreach (string line in value.Split('\n'))
        {
            _html.Append(HtmlEncoder.Default.Encode(Printable(line))).Append('\n');
        }

        _html.Length--;
        return this;
    }

    /// <summary>A number, invariant and with thousands separators.</summary>
    public Html Number<T>(T value)
        where T : IBinaryInteger<T> => Text(Count(value));

    /// <summary>A time in ISO 8601, in UTC (<c>2026-11-25T12:00:00Z</c>), in a <c>time</c> element; <c>never</c> for none.</summary>
    public Html Time(DateTimeOffset? at)
    {
        if (at is not { } time)
        {
            return Raw("never");
        }

        string utc = Stamp(time);
        return Raw("<time datetime=\"").Text(utc).Raw("\">").Text(utc).Raw("</time>");
    }

    /// <summary>A time as ISO 8601 in UTC, <c>2026-11-25T12:00:00Z</c>: how every page writes times.</summary>
    public static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>
    /// A document's <c>modified</c> field: as a time in ISO 8601 (<see cref="Time"/>) when it is in a format Datadog has
    /// used (<c>2022-01-25-20-00-00</c>, <c>2024-10-17T00:00:00</c>), else as published, escaped.
    /// </summary>
    public Html Modified(DateTimeOffset? modified, string published) => modified is null ? Text(published) : Time(modified);

    /// <summary>A read-only field holding a URL to paste, its label, and a copy button that the script shows.</summary>
    public Html CopyField(string id, string label, string url)
    {
        Raw("<li><label for=\"").Text(id).Raw("\">").Text(label).Raw("</label><span class=\"paste\"><input id=\"").Text(id)
            .Raw("\" type=\"text\" readonly value=\"").Text(url).Raw("\" spellcheck=\"false\">");
        return Raw("<button type=\"button\" hidden data-copy=\"").Text(id).Raw("\" aria-label=\"Copy ").Text(label).Raw(" URL\">Copy</button></span></li>");
    }

    /// <summary>Ends the page; <paramref name="servesLists"/> when it shows the lists and rules the mirror serves to machines.</summary>
    public byte[] End(bool servesLists = false) => Encoding.UTF8.GetBytes(Raw("</main><footer><p>Served by <code>fwrules serve</code>.")
        .Raw(servesLists ? " The lists and rules above are what this mirror serves to machines." : string.Empty)
        .Raw("</p></footer></body></html>\n")._html.ToString());

    /// <summary>
    /// Escapes <paramref name="value"/> for HTML text and quoted attributes; control and format characters (bidi overrides and
    /// isolates, zero-width characters) and line or paragraph separators become U+FFFD: a browser applies them even as
    /// character references, so U+202E could turn a line of the page around.
    /// </summary>
    public static string Escape(string? value) => HtmlEncoder.Default.Encode(Clean(value));

    /// <summary>A number with thousands separators.</summary>
    public static string Count<T>(T value)
        where T : IBinaryInteger<T> => string.Format(CultureInfo.InvariantCulture, "{0:N0}", value);

    /// <summary>Text with its control and format characters (and lone surrogates) replaced by U+FFFD, nothing cut.</summary>
    public static string Printable(string value) =>
        string.Concat(value.EnumerateRunes().Select(rune => Hidden(rune) ? "\uFFFD" : rune.ToString()));

    /// <summary>Untrusted text made printable: control and format characters (and lone surrogates) replaced, cut at <see cref="MaxShownText"/>.</summary>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var clean = new StringBuilder(Math.Min(value.Length, MaxShownText + 1));
        foreach (Rune rune in value.EnumerateRunes())
        {
            if (clean.Length >= MaxShownText)
            {
                return clean.Append('…').ToString();
            }

            clean.Append(Hidden(rune) ? "\uFFFD" : rune.ToString());
        }

        return clean.ToString();
    }

    // What would not show as itself, or would change how the text around it shows.
    private static bool Hidden(Rune rune) => Rune.IsControl(rune)
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
