namespace FirewallRules.Server;

/// <summary>Every site the mirror serves, by the names requests may use for it.</summary>
internal sealed class MirrorState
{
    private readonly Dictionary<string, SiteMirror> _byName = new(StringComparer.OrdinalIgnoreCase);

    public MirrorState(IEnumerable<MirroredSite> sites, bool offline = false)
    {
        Sites = sites.Select(site => new SiteMirror(site, offline)).ToArray();
        foreach (SiteMirror mirror in Sites)
        {
            // /v1/us1/ and /v1/datadoghq.com/ are the same site.
            _byName[mirror.Site.Key] = mirror;
            _byName.TryAdd(mirror.Site.Site.Domain, mirror);
        }
    }

    /// <summary>The sites, in the order they were configured.</summary>
    public IReadOnlyList<SiteMirror> Sites { get; }

    /// <summary>Whether every site has a vetted document in service.</summary>
    public bool IsReady => Sites.All(site => site.Current is not null);

    /// <summary>The site a request names, by key or domain; null when the mirror does not serve it.</summary>
    public SiteMirror? Find(string name) => _byName.GetValueOrDefault(name);
}
