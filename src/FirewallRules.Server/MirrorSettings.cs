using System.Net;

namespace FirewallRules.Server;

/// <summary>How the mirror runs, checked and complete (see <see cref="ServeOptions.ToSettings"/>).</summary>
internal sealed record MirrorSettings
{
    /// <summary>The sites served, each under <c>/v1/&lt;key&gt;/</c>.</summary>
    public required IReadOnlyList<MirroredSite> Sites { get; init; }

    /// <summary>Where Kestrel listens (plain HTTP: a TLS-terminating proxy in front serves HTTPS).</summary>
    public required IReadOnlyList<IPEndPoint> Listen { get; init; }

    /// <summary>The snapshot store: every vetted version, and the one being served after a restart.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The wait between two fetches of a site.</summary>
    public required TimeSpan Refresh { get; init; }

    /// <summary>Whether the mirror never fetches: it serves <see cref="Input"/>, what the store holds, or the embedded snapshot (<see cref="OfflineInput"/>).</summary>
    public bool Offline { get; init; }

    /// <summary>An offline mirror's document files, of its one site; empty for none.</summary>
    public IReadOnlyList<string> Input { get; init; } = [];

    /// <summary>Retries of one fetch before it counts as failed.</summary>
    public required int Retries { get; init; }

    /// <summary>Whether a plain http:// upstream that is not on loopback may be fetched.</summary>
    public required bool AllowHttp { get; init; }

    /// <summary>Where change notices are posted when a site's version changes; null for none.</summary>
    public Uri? Notify { get; init; }

    /// <summary>The OTLP (HTTP) receiver the metrics are exported to, e.g. a Datadog Agent's <c>http://localhost:4318</c>; null for none.</summary>
    public Uri? Otlp { get; init; }

    /// <summary>
    /// The mirror's address as its clients reach it (<c>https://mirror.example.com</c>, no trailing slash): the Atom feeds'
    /// ids and the absolute URLs its pages show; null to take those URLs from each request and the feeds' ids from the upstream.
    /// </summary>
    public Uri? PublicUrl { get; init; }
}
