using System.Diagnostics.CodeAnalysis;
using FirewallRules.Ranges;

namespace FirewallRules;

/// <summary>
/// A Datadog site, or a mirror of one: where its ip-ranges document lives
/// (<c>https://ip-ranges.&lt;domain&gt;/</c>, one section at <c>.../&lt;section&gt;.json</c>).
/// </summary>
/// <remarks>Immutable. Equal when the names and document addresses are equal.</remarks>
public sealed record Site
{
    private Site(string name, string domain, Uri ipRangesUri)
    {
        Name = name;
        Domain = domain;
        IpRangesUri = ipRangesUri;
    }

    /// <summary>The site's short name (<c>US1</c>, <c>EU1</c>, <c>US1-FED</c>), or <c>custom</c> for a mirror.</summary>
    public string Name { get; }

    /// <summary>The site's domain (<c>datadoghq.com</c>), or the mirror's host.</summary>
    public string Domain { get; }

    /// <summary>The address of the whole ip-ranges document; always ends with <c>/</c>.</summary>
    public Uri IpRangesUri { get; }

    /// <summary>Whether this is a mirror or proxy given by URL rather than a Datadog site.</summary>
    public bool IsCustom => Name == "custom";

    /// <summary>US1, <c>datadoghq.com</c>.</summary>
    public static Site US1 { get; } = Known("US1", "datadoghq.com");

    /// <summary>US3, <c>us3.datadoghq.com</c>.</summary>
    public static Site US3 { get; } = Known("US3", "us3.datadoghq.com");

    /// <summary>US5, <c>us5.datadoghq.com</c>.</summary>
    public static Site US5 { get; } = Known("US5", "us5.datadoghq.com");

    /// <summary>EU1, <c>datadoghq.eu</c>.</summary>
    public static Site EU1 { get; } = Known("EU1", "datadoghq.eu");

    /// <summary>AP1, <c>ap1.datadoghq.com</c>.</summary>
    public static Site AP1 { get; } = Known("AP1", "ap1.datadoghq.com");

    /// <summary>AP2, <c>ap2.datadoghq.com</c>.</summary>
    public static Site AP2 { get; } = Known("AP2", "ap2.datadoghq.com");

    /// <summary>UK1, <c>uk1.datadoghq.com</c>.</summary>
    public static Site UK1 { get; } = Known("UK1", "uk1.datadoghq.com");

    /// <summary>US1-FED (GovCloud), <c>ddog-gov.com</c>.</summary>
    public static Site US1Fed { get; } = Known("US1-FED", "ddog-gov.com");

    /// <summary>US2-FED, <c>us2.ddog-gov.com</c>.</summary>
    public static Site US2Fed { get; } = Known("US2-FED", "us2.ddog-gov.com");

    /// <summary>Every Datadog site.</summary>
    public static IReadOnlyList<Site> All { get; } = [US1, US3, US5, EU1, AP1, AP2, UK1, US1Fed, US2Fed];

    /// <summary>The address of one section's document, e.g. <c>https://ip-ranges.datadoghq.com/logs.json</c>.</summary>
    public Uri GetSectionUri(string section) => new(IpRangesUri, Uri.EscapeDataString(Sections.Normalize(section)) + ".json");

    /// <summary>
    /// A mirror or proxy serving the same documents at <paramref name="baseUri"/>: a directory that answers with the
    /// document (a <c>/</c> is appended), or the document's own file when its name ends in <c>.json</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not absolute HTTP(S), or carries a query or credentials.</exception>
    public static Site Custom(Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"'{baseUri}' is not an absolute http(s) address.", nameof(baseUri));
        }

        if (!string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment) || !string.IsNullOrEmpty(baseUri.UserInfo))
        {
            throw new ArgumentException($"'{baseUri}' must not carry a query, fragment or credentials.", nameof(baseUri));
        }

        // The document is the directory itself (as Datadog's hosts and `fwrules serve` publish it), or a file named
        // *.json; section files sit beside it either way, so a section's address resolves against this one.
        bool file = baseUri.AbsolutePath.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        string text = file || baseUri.AbsoluteUri.EndsWith('/') ? baseUri.AbsoluteUri : baseUri.AbsoluteUri + "/";
        return new Site("custom", baseUri.Host, new Uri(text));
    }

    /// <summary>
    /// Reads a site from what people type: a name (<c>us1</c>, <c>eu1</c>, <c>eu</c>, <c>us1-fed</c>, <c>gov</c>),
    /// a domain (<c>datadoghq.eu</c>, <c>app.datadoghq.eu</c>, <c>ip-ranges.datadoghq.eu</c>), or an http(s) URL of a mirror.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Site? site)
    {
        site = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string value = text.Trim();
        if (value.Contains("://", StringComparison.Ordinal))
        {
            if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri))
            {
                try
                {
                    site = Custom(uri);
                }
                catch (ArgumentException)
                {
                    return false;
                }
            }

            return site is not null;
        }

        string key = value.ToLowerInvariant().TrimEnd('.');
        string name = key switch
        {
            "us" => "us1",
            "eu" => "eu1",
            "gov" or "fed" or "us1fed" => "us1-fed",
            "us2fed" => "us2-fed",
            _ => key,
        };
        site = All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)
            || key == s.Domain || key == "app." + s.Domain || key == "ip-ranges." + s.Domain);
        return site is not null;
    }

    /// <summary>Reads a site like <see cref="TryParse"/>.</summary>
    /// <exception cref="FormatException">The text names no site; the message lists the valid names.</exception>
    public static Site Parse(string text) =>
        TryParse(text, out Site? site)
            ? site
            : throw new FormatException(
                $"unknown site '{text}': use one of {string.Join(", ", All.Select(s => s.Name.ToLowerInvariant()))}, " +
                "a domain such as datadoghq.eu, or an https:// mirror URL");

    /// <inheritdoc/>
    public override string ToString() => IsCustom ? IpRangesUri.AbsoluteUri : $"{Name} ({Domain})";

    private static Site Known(string name, string domain) => new(name, domain, new Uri($"https://ip-ranges.{domain}/"));
}
