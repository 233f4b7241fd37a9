using System.Net;
using System.Net.Sockets;
using FirewallRules.Ranges;

namespace FirewallRules.Verification;

/// <summary>
/// Checks the Agent's endpoints against a site's ip-ranges document: resolves each host name with the system
/// resolver, places every address (inside its section's published prefixes, private, or neither) and, when asked,
/// tries a connection to it on the endpoint's port from this host.
/// </summary>
/// <param name="document">The site's ip-ranges document.</param>
/// <param name="resolve">Resolves a host name; the system resolver (<see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>) in the tool.</param>
/// <param name="connectTimeout">How long a connection attempt may take; null for no attempt.</param>
internal sealed class AgentEndpointVerifier(
    IpRangesDocument document, Func<string, CancellationToken, Task<IPAddress[]>> resolve, TimeSpan? connectTimeout)
{
    private static readonly PrefixSet PrivateSpace = PrefixSet.Parse("10.0.0.0/8\n100.64.0.0/10\n172.16.0.0/12\n192.168.0.0/16\nfc00::/7");

    /// <summary>One finding per address of each endpoint (one for a name that did not resolve), in endpoint order.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<EndpointFinding>> VerifyAsync(IEnumerable<AgentEndpoint> endpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Every name and every connection at once: the slowest answer, not their sum, sets the run's length.
        EndpointFinding[][] found = await Task.WhenAll(endpoints.Select(endpoint => VerifyAsync(endpoint, cancellationToken))).ConfigureAwait(false);
        return [.. found.SelectMany(findings => findings)];
    }

    private async Task<EndpointFinding[]> VerifyAsync(AgentEndpoint endpoint, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await resolve(endpoint.HostName, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            return [new EndpointFinding(endpoint, null, DescribeDnsFailure(ex), false, EndpointAddressKind.Public, null)];
        }

        if (addresses.Length == 0)
        {
            return [new EndpointFinding(endpoint, null, "no DNS record", false, EndpointAddressKind.Public, null)];
        }

        PrefixSet published = document.TryGetSection(endpoint.Section, out IpRangesSection? section) ? section.Prefixes : PrefixSet.Empty;
        return await Task.WhenAll(addresses.Distinct().Select(async address =>
        {
            ConnectOutcome? connect = connectTimeout is TimeSpan timeout
                ? await ConnectProbe.RunAsync(address, endpoint.Port.First, timeout, cancellationToken).ConfigureAwait(false)
                : null;
            return new EndpointFinding(endpoint, address, null, published.Contains(address), Classify(address), connect);
        })).ConfigureAwait(false);
    }

    internal static EndpointAddressKind Classify(IPAddress address)
    {
        IPAddress plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (PrivateSpace.Contains(plain))
        {
            return EndpointAddressKind.Private;
        }

        var host = new IPNetwork(plain, plain.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return PublicAddressPolicy.Check(host) is null ? EndpointAddressKind.Public : EndpointAddressKind.Reserved;
    }

    private static string DescribeDnsFailure(SocketException exception) => exception.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData => "no DNS record",
        SocketError.TryAgain => "DNS did not answer (temporary failure)",
        _ => $"DNS lookup failed: {exception.Message}",
    };
}
