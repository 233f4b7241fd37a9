using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Apache;

/// <summary>Options for the <c>apache</c> include: the trusted proxies, and the URL path its <c>&lt;Location&gt;</c> guards.</summary>
public sealed class ApacheOptions : WebServerOptions
{
    private readonly string _location = "/";

    /// <summary>Creates options with the defaults.</summary>
    public ApacheOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings <paramref name="shared"/> holds (its trusted proxies too).</summary>
    public ApacheOptions(EmitterOptions shared)
        : base(shared)
    {
        if (shared is ApacheOptions apache)
        {
            _location = apache.Location;
        }
    }

    /// <summary>
    /// The URL path the include's <c>&lt;Location&gt;</c> section guards, e.g. <c>/hooks/</c>: written without its trailing slash, so the
    /// path itself (<c>/hooks</c>), the path with a slash and everything under it are guarded (never <c>/hooksx</c>).
    /// </summary>
    /// <value><c>/</c>: the whole virtual host.</value>
    /// <exception cref="ArgumentException">
    /// The path does not start with <c>/</c>, is longer than 200 characters, or holds anything but letters, digits and
    /// <c>/ . - _ ~</c> (it is written inside a quoted section argument), or an empty, <c>.</c> or <c>..</c> segment: httpd matches a
    /// <c>&lt;Location&gt;</c> against the request's path decoded, its slashes merged and its dot segments resolved, so a
    /// <c>%</c>-escape, <c>//</c> or a dot segment would never match, and the section would guard nothing.
    /// </exception>
    public string Location
    {
        get => _location;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!value.StartsWith('/') || value.Length > 200 || value.Any(c => !char.IsAsciiLetterOrDigit(c) && !"/.-_~".Contains(c, StringComparison.Ordinal)))
            {
                throw new ArgumentException(
                    $"'{Cloud.CommentText.SingleLine(value)}' is not a URL path: it starts with / and holds letters, digits and / . - _ ~ only " +
                    "(httpd compares the path decoded, so a %-escape would never match)", nameof(value));
            }

            if (value.TrimEnd('/').Split('/').Skip(1).FirstOrDefault(segment => segment is "" or "." or "..") is { } odd)
            {
                throw new ArgumentException(
                    $"'{value}' is not a URL path as httpd compares it: it merges // and resolves '.' and '..' before matching a <Location>, so " +
                    $"a path holding {(odd.Length == 0 ? "//" : $"a '{odd}' segment")} would never match and guard nothing; write it as the request's path resolves",
                    nameof(value));
            }

            _location = value;
        }
    }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static new ApacheOptions From(EmitterOptions options) => options as ApacheOptions ?? new(options);
}
