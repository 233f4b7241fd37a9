using FirewallRules.Intakes;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Which published section covers a host name, for every Datadog site: the host names of Datadog's network traffic
/// guide (the same table as <c>Verification/AgentEndpoints</c>), matched so that a custom URL such as
/// <c>dd_url</c>, <c>logs_dd_url</c> or a dual-shipping endpoint is placed, or found outside the ranges.
/// </summary>
internal static class IntakeHosts
{
    /// <summary>The site and section that publish <paramref name="host"/>'s addresses; null when none does.</summary>
    /// <remarks>
    /// A host of the catalogue an agent sends to with a section (<see cref="IntakeCatalog"/>), or any one label under <c>agent.&lt;domain&gt;</c>
    /// (<see cref="IntakeCatalog.AgentSubdomain"/>: a versioned host), at the longest domain first (us3.datadoghq.com before
    /// datadoghq.com).
    /// </remarks>
    public static (Site Site, Section Section)? Find(string host)
    {
        string name = host.TrimEnd('.').ToLowerInvariant();
        foreach (Site site in Site.All.OrderByDescending(s => s.Domain.Length))
        {
            if (IntakeCatalog.All.FirstOrDefault(i => i.ByAgent && !i.Versioned && i.Section is not null && name == i.Host(site)) is { Section: Section section })
            {
                return (site, section);
            }

            string suffix = IntakeCatalog.AgentSubdomain + site.Domain;
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length && !name[..^suffix.Length].Contains('.', StringComparison.Ordinal))
            {
                return (site, Section.Agents);
            }
        }

        return null;
    }

    /// <summary>The scheme the agent sends an endpoint's URL with: <c>http</c> when it says so, else <c>https</c> (a bare host is prefixed with https://).</summary>
    public static string SchemeOf(string text) => text.TrimStart().StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "http" : "https";

    /// <summary>
    /// The host and port of an endpoint written as a URL (<c>https://host:port</c>) or as <c>host:port</c>; null when it is
    /// none, or when its host is not ASCII (<c>relаy.internal</c> with a Cyrillic <c>а</c>: a name no allow-list can hold,
    /// and a look-alike of another).
    /// </summary>
    public static (string Host, int? Port)? Parse(string text) => Uri(text) is Uri uri && !HasNonAsciiHost(uri)
        ? (uri.Host, uri.IsDefaultPort || uri.Port < 0 ? uri.Scheme switch { "https" => 443, "http" => 80, _ => null } : uri.Port)
        : null;

    /// <summary>What an address in a URL must be, for the messages.</summary>
    public const string FullAddress = "its address in full (an IPv4 address as four decimal numbers, as 10.0.0.1; an IPv6 one without a zone)";

    internal static Uri? Uri(string text)
    {
        // Without a scheme it is HOST:PORT, which has no path: "http//trace" is no URL the agent can send to (Go reads it as a path
        // alone, with no host), not the host "http"; nor is "https:8443", a scheme with no host.
        // A control or invisible formatting character anywhere (a tab, U+0085, U+202E right-to-left override, U+200B) is refused: .NET's
        // Uri drops some silently and would plan the host before them, while Go's url.Parse, the agent's, refuses control characters.
        if (HasInvisible(text))
        {
            return null;
        }

        string value = text.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            if (value.Contains('/', StringComparison.Ordinal) || value.Split(':')[0].ToLowerInvariant() is "http" or "https")
            {
                return null;
            }

            value = "tcp://" + value;
        }

        // Port 0 is no port a connection can reach: refused like any other malformed endpoint. So is an IPv4 address in a short or
        // numeric form (10.1, 167772161, 0x0a000001), which .NET reads as 10.0.0.1 and the agent's Go resolver as a name to look up.
        return System.Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.Host.Length > 0 && uri.Port != 0 && !IsShortAddress(value, uri) ? uri : null;
    }

    /// <summary>
    /// Whether <paramref name="text"/> is a URL or HOST:PORT whose host is an IPv4 address not in dotted-decimal form (<c>10.1</c>), or an
    /// IPv6 address with a zone (<c>[fe80::1%25eth0]</c>).
    /// </summary>
    public static bool IsShortAddress(string text)
    {
        string value = text.Trim();
        value = value.Contains("://", StringComparison.Ordinal) ? value : "tcp://" + value;
        return System.Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && IsShortAddress(value, uri);
    }

    // The host as written (after the scheme and any user, before the port or path) against the address .NET read it as.
    private static bool IsShortAddress(string value, Uri uri)
    {
        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return false;
        }

        string authority = value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..];
        authority = authority[..(authority.IndexOfAny(['/', '?', '#']) is int end and >= 0 ? end : authority.Length)];
        authority = authority[(authority.LastIndexOf('@') + 1)..];
        if (uri.HostNameType == UriHostNameType.IPv6)
        {
            // A zone in the bracketed host (fe80::1%25eth0), which .NET drops and no firewall rule holds; not a %-escape elsewhere.
            return authority[..(authority.IndexOf(']', StringComparison.Ordinal) is int close and >= 0 ? close : authority.Length)].Contains('%', StringComparison.Ordinal);
        }

        string written = authority.LastIndexOf(':') is int colon and >= 0 ? authority[..colon] : authority;
        return !string.Equals(written, uri.Host, StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="text"/> holds a control character (a tab, U+0085) or an invisible formatting one (U+202E, U+200B).</summary>
    internal static bool HasInvisible(string text) =>
        text.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);

    internal static bool HasNonAsciiHost(Uri uri) => !System.Text.Ascii.IsValid(uri.Host)
        || (uri.HostNameType == UriHostNameType.Dns && !string.Equals(uri.Host, uri.IdnHost, StringComparison.OrdinalIgnoreCase));
}
