using FirewallRules.Fetching;

namespace FirewallRules.Cli;

/// <summary>Where and how to fetch a document: the site or mirror, the retries, and whether plain HTTP is allowed.</summary>
internal sealed record RemoteSource(Site Site, int Retries, bool AllowHttp)
{
    /// <summary>A client with the tool's resilience settings.</summary>
    public IpRangesClient CreateClient() =>
        IpRangesClient.Create(new IpRangesClientOptions { MaxRetryAttempts = Retries, AllowInsecureHttp = AllowHttp });
}
