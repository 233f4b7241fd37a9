using System.Net;
using FirewallRules.Advice;

namespace FirewallRules.Fetching;

/// <summary>
/// Follows redirects itself, checking <see cref="TransportPolicy"/> on every hop; the primary handler's own
/// redirect following is turned off, since it would check nothing but the scheme.
/// </summary>
/// <remarks>
/// A refused redirect fails the request with a <see cref="RedirectRefusedException"/>, which is not retried. A
/// redirect without a usable <c>Location</c> is returned as it is, and reported as its status.
/// </remarks>
internal sealed class IpRangesRedirectHandler(bool allowInsecureHttp) : DelegatingHandler
{
    /// <summary>Turns off the redirect following of the handlers this library knows; others are checked after the fact by the client.</summary>
    public static HttpMessageHandler WithoutAutoRedirect(HttpMessageHandler primary)
    {
        switch (primary)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }

        return primary;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (int redirects = 0; ; redirects++)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            Uri from = request.RequestUri!;
            Uri to = location.IsAbsoluteUri ? location : new Uri(from, location);
            SettingAdvice? refusal = redirects >= TransportPolicy.MaxRedirects
                ? TransportPolicy.TooManyRedirects(to)
                : TransportPolicy.RedirectRefusal(from, to, allowInsecureHttp);
            response.Dispose();
            if (refusal is not null)
            {
                throw new RedirectRefusedException(refusal);
            }

            // The same GET again, at the new address: it has no content to replay.
            request.RequestUri = to;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
