using System.Net;
using FirewallRules.Ranges;

namespace FirewallRules.Fetching;

/// <summary>
/// One attempt, inside Microsoft.Extensions.Http.Resilience's <c>ResilienceHandler</c>: counts it, keeps its status,
/// and reads a successful response's body within the size cap.
/// </summary>
/// <remarks>
/// Reading the body inside the attempt is what makes a slow or cut-off body time out and be retried like a
/// failed connection, and an oversized one refused before it is held in memory whole. The resilience handler sends
/// the same GET message again for each attempt, which is safe: it has no content to replay. The counts are set on
/// the message for <see cref="IpRangesClient"/>'s error messages.
/// </remarks>
internal sealed class IpRangesAttemptHandler(long maxResponseBytes) : DelegatingHandler
{
    /// <summary>How many requests were made for this message.</summary>
    public static readonly HttpRequestOptionsKey<int> AttemptsKey = new("FirewallRules.Attempts");

    /// <summary>The last HTTP status received for this message, if any.</summary>
    public static readonly HttpRequestOptionsKey<HttpStatusCode> LastStatusKey = new("FirewallRules.LastStatus");

    /// <summary>Why the first retried attempt failed, if one was retried (set by the retry's callback).</summary>
    public static readonly HttpRequestOptionsKey<string> FirstFailureKey = new("FirewallRules.FirstFailure");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(AttemptsKey, out int attempts);
        request.Options.Set(AttemptsKey, attempts + 1);
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        request.Options.Set(LastStatusKey, response.StatusCode);
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        try
        {
            await BufferAsync(response, maxResponseBytes, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task BufferAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        HttpContent content = response.Content;
        if (content.Headers.ContentLength is long declared && declared > maxBytes)
        {
            throw new IpRangesFormatException($"the document is {declared} bytes, more than the {maxBytes} allowed", location: null);
        }

        byte[] body;
        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            body = await IpRangesDocument.ReadLimitedAsync(stream, maxBytes, cancellationToken).ConfigureAwait(false);
        }

        var buffered = new ByteArrayContent(body);
        foreach (KeyValuePair<string, IEnumerable<string>> header in content.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = buffered;
        content.Dispose();
    }
}
