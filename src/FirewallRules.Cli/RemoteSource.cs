using FirewallRules.Fetching;

namespace FirewallRules.Cli;

/// <summary>Where and how to fetch a document: the site or mirror, the retries, whether plain HTTP is allowed, and whether retries are reported.</summary>
internal sealed record RemoteSource(Site Site, int Retries, bool AllowHttp, bool Quiet)
{
    /// <summary>
    /// A client with the tool's resilience settings. One process makes one call, so the retry count is honoured: the
    /// total time limit covers every attempt and wait, and the circuit breaker (for many calls) cannot open within it.
    /// Each retry is reported on <paramref name="console"/>'s stderr unless <see cref="Quiet"/>.
    /// </summary>
    public IpRangesClient CreateClient(CliConsole? console)
    {
        var options = new IpRangesClientOptions { MaxRetryAttempts = Retries, AllowInsecureHttp = AllowHttp };
        options.TotalTimeout = (options.AttemptTimeout * (Retries + 1)) + (options.MaxRetryDelay * Retries);
        options.CircuitBreakerMinimumThroughput = Math.Max(options.CircuitBreakerMinimumThroughput, Retries + 2);
        return IpRangesClient.Create(options, loggerFactory: Quiet || console is null ? null : new RetryReporter(console, Retries + 1));
    }
}
