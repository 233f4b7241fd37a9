using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using FirewallRules.Aws;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The account an account sync's credentials belong to, from STS <c>GetCallerIdentity</c> (a call every identity may make:
/// it needs no IAM permission), so that a run with no prefix list to read yet checks its state's account as the next run does.
/// </summary>
/// <remarks>
/// The one STS call is signed here (Signature Version 4) rather than through the STS package, which the tool does not ship:
/// a form POST of two fields. The endpoint is <c>AWS_ENDPOINT_URL_STS</c>, else <c>AWS_ENDPOINT_URL</c> (moto, LocalStack:
/// the endpoint the EC2 client uses), else the region's own STS endpoint.
/// </remarks>
internal sealed class AwsCallerAccount(Func<AWSCredentials> credentials, string region)
{
    private const string Body = "Action=GetCallerIdentity&Version=2011-06-15";

    /// <summary>How long the call may take before the run says it could not learn the account.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>The endpoint the call goes to.</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint(region);

    /// <summary>The account, as STS names it.</summary>
    /// <exception cref="AwsSyncException">STS refused the call or did not answer (the message says which).</exception>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        ImmutableCredentials keys;
        try
        {
            keys = credentials().GetCredentials();
        }
        catch (AmazonClientException ex)
        {
            throw new AwsSyncException($"STS GetCallerIdentity: no credentials ({ex.Message.Split('\n', 2)[0].TrimEnd()})");
        }

        if (!string.IsNullOrEmpty(keys.AccountId))
        {
            return keys.AccountId;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var http = new HttpClient();
        using HttpRequestMessage request = Signed(keys, DateTime.UtcNow);
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            XElement? account = response.IsSuccessStatusCode ? Parse(text)?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Account") : null;
            return account is { Value.Length: > 0 } ? account.Value
                : throw new AwsSyncException(string.Create(CultureInfo.InvariantCulture,
                    $"STS GetCallerIdentity at {Endpoint.Host}: HTTP {(int)response.StatusCode}{Code(text)}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsSyncException($"STS GetCallerIdentity at {Endpoint.Host}: no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            throw new AwsSyncException($"STS GetCallerIdentity at {Endpoint.Host}: {ex.Message}", ex);
        }
    }

    /// <summary>The request, signed with Signature Version 4 for STS in the region.</summary>
    internal HttpRequestMessage Signed(ImmutableCredentials keys, DateTime now)
    {
        string amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string date = amzDate[..8];
        string host = Endpoint.IsDefaultPort ? Endpoint.Host : $"{Endpoint.Host}:{Endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
        const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = ContentType,
            ["host"] = host,
            ["x-amz-date"] = amzDate,
        };
        if (keys.UseToken)
        {
            headers["x-amz-security-token"] = keys.Token;
        }

        string signedHeaders = string.Join(';', headers.Keys);
        string canonicalHeaders = string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n"));
        string canonical = $"POST\n{Endpoint.AbsolutePath}\n\n{canonicalHeaders}\n{signedHeaders}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(Body)))}";
        string scope = $"{date}/{region}/sts/aws4_request";
        string toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + keys.SecretKey);
        foreach (string part in (string[])[date, region, "sts", "aws4_request"])
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        string signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(Body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (keys.UseToken)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", keys.Token);
        }

        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={keys.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
        return request;
    }

    /// <summary><c>AWS_ENDPOINT_URL_STS</c>, else <c>AWS_ENDPOINT_URL</c>, else the region's STS endpoint.</summary>
    private static Uri DefaultEndpoint(string region)
    {
        string? configured = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_STS") is { Length: > 0 } sts ? sts : Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrEmpty(configured) && Uri.TryCreate(configured, UriKind.Absolute, out Uri? endpoint))
        {
            return endpoint.AbsolutePath.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        }

        return new Uri($"https://sts.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/");
    }

    private static XElement? Parse(string text)
    {
        try
        {
            return XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>The error code of an STS error answer (<c>InvalidClientTokenId</c>, ...), or nothing.</summary>
    private static string Code(string text) => Parse(text)?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value is { Length: > 0 } code
        ? " " + code
        : string.Empty;

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
