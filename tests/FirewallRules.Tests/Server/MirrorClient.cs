using System.Net;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Server;

/// <summary>HttpClient calls the mirror tests share: plain requests (no automatic decompression), readiness, metrics.</summary>
internal static partial class MirrorClient
{
    public static HttpClient Create(Uri baseUri) => new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
    {
        BaseAddress = baseUri,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Waits until /healthz says ready (every site has a vetted document).</summary>
    public static Task WaitReadyAsync(HttpClient http) =>
        WaitUntilAsync(async () => (await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "the mirror never became ready");

    /// <summary>One sample of /metrics, e.g. <c>fwrules_mirror_fetches_total{site="us1",result="failed"}</c>; 0 when absent.</summary>
    public static async Task<double> MetricAsync(HttpClient http, string sample)
    {
        string text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Match match = Regex.Match(text, "^" + Regex.Escape(sample) + @" (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, for at most 30 seconds.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        for (DateTime end = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < end; await Task.Delay(100))
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }

        Assert.Fail(failure);
    }
}
