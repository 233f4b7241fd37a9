using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using FirewallRules.Aws;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The account an account sync's credentials belong to, from STS <c>GetCallerIdentity</c> (a call every identity may make:
/// it needs no IAM permission), so that a run with no prefix list to read yet checks its state's account as the next run does.
/// </summary>
/// <remarks>
/// The client is the SDK's, made with the EC2 client's region and credentials: its endpoint is <c>AWS_ENDPOINT_URL_STS</c>,
/// else <c>AWS_ENDPOINT_URL</c> (moto, LocalStack), else the region's own STS endpoint, as the SDK resolves them.
/// </remarks>
internal sealed class AwsCallerAccount(AWSCredentials? credentials, AmazonSecurityTokenServiceConfig config)
{
    /// <summary>The account, as STS names it.</summary>
    /// <exception cref="AwsSyncException">STS refused the call or did not answer (the message says which).</exception>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            using AmazonSecurityTokenServiceClient sts = credentials is null ? new(config) : new(credentials, config);
            GetCallerIdentityResponse identity = await sts.GetCallerIdentityAsync(new(), cancellationToken).ConfigureAwait(false);
            return identity.Account is { Length: > 0 } account ? account : throw new AwsSyncException("STS GetCallerIdentity named no account");
        }
        catch (AmazonServiceException ex)
        {
            throw new AwsSyncException($"STS GetCallerIdentity: {(string.IsNullOrWhiteSpace(ex.ErrorCode) ? "error" : ex.ErrorCode)}: {AwsSyncCommand.FirstLine(ex.Message)}", ex);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AwsSyncException($"STS GetCallerIdentity: {AwsSyncCommand.FirstLine(ex.Message)}", ex);
        }
    }
}
