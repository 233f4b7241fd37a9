using System.Collections.Concurrent;

namespace FirewallRules.Server;

/// <summary>
/// One vetted version of a site's document as the mirror serves it: the document's own bytes, and every
/// response rendered from it, each rendered once. A new version gets a new instance, so nothing rendered
/// from an older one is ever served for it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ServedDocument
{
    /// <summary>Past this many distinct responses, further ones are rendered per request rather than kept.</summary>
    public const int MaxCachedResponses = 1024;

    private readonly ConcurrentDictionary<string, Lazy<Representation>> _rendered = new(StringComparer.Ordinal);
    private readonly Action _onRender;

    /// <param name="document">The vetted document.</param>
    /// <param name="onRender">Called for every response actually rendered (not served from the cache).</param>
    public ServedDocument(IpRangesDocument document, Action onRender)
    {
        Document = document;
        _onRender = onRender;
        // The document's own date says when its content changed; a document without one was never
        // compared by date, so its validator is the entity tag alone.
        LastModified = document.Modified;
        Whole = Representation.Ok("application/json", document.Utf8Json.ToArray(), LastModified);
    }

    /// <summary>The document.</summary>
    public IpRangesDocument Document { get; }

    /// <summary>The <c>Last-Modified</c> of everything rendered from it.</summary>
    public DateTimeOffset? LastModified { get; }

    /// <summary>The whole document, byte for byte as it was received.</summary>
    public Representation Whole { get; }

    /// <summary>
    /// The response for <paramref name="key"/> (a canonical spelling of the request), rendered by
    /// <paramref name="render"/> the first time it is asked for; concurrent first requests render once.
    /// </summary>
    public Representation GetOrRender(string key, Func<Representation> render)
    {
        if (_rendered.TryGetValue(key, out Lazy<Representation>? cached))
        {
            return cached.Value;
        }

        if (_rendered.Count >= MaxCachedResponses)
        {
            return Render(render);
        }

        return _rendered.GetOrAdd(key, _ => new Lazy<Representation>(() => Render(render), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private Representation Render(Func<Representation> render)
    {
        _onRender();
        return render();
    }
}
