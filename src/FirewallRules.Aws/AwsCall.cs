using Amazon.EC2;
using Amazon.Runtime;

namespace FirewallRules.Aws;

/// <summary>One EC2 call, its failure turned into one line that names what was being done.</summary>
internal static class AwsCall
{
    /// <summary>The error codes of a list changed (or still changing) since it was read.</summary>
    private static readonly string[] ConflictCodes = ["PrefixListVersionMismatch", "IncorrectState"];

    /// <summary>
    /// The error codes of a group changed since it was read (another run at once authorized a rule first, or revoked it
    /// first): a call to authorize or revoke is all or nothing, so the group is read again and planned again.
    /// </summary>
    private static readonly string[] GroupConflictCodes = ["InvalidPermission.Duplicate", "InvalidPermission.NotFound", "InvalidSecurityGroupRuleId.NotFound"];

    public static async Task<T> RunAsync<T>(string what, Func<Task<T>> call, bool conflictIsRetryable = false, bool groupConflictIsRetryable = false)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonEC2Exception ex) when (conflictIsRetryable && ConflictCodes.Contains(ex.ErrorCode, StringComparer.Ordinal))
        {
            throw new PrefixListConflictException($"{what}: {ex.ErrorCode}: {ex.Message}", ex);
        }
        catch (AmazonEC2Exception ex) when (groupConflictIsRetryable && GroupConflictCodes.Contains(ex.ErrorCode, StringComparer.Ordinal))
        {
            throw new SecurityGroupConflictException($"{what}: {ex.ErrorCode}: {ex.Message}", ex);
        }
        catch (AmazonServiceException ex)
        {
            throw new AwsSyncException($"{what}: {ex.ErrorCode ?? "error"}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException)
        {
            throw new AwsSyncException($"{what}: {ex.Message}", ex);
        }
    }
}

/// <summary>A list changed after it was read (the version check refused the write): read it again and plan again.</summary>
internal sealed class PrefixListConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A group changed after it was read (a rule to add is there already, or one to revoke is gone): read it again and plan again.</summary>
internal sealed class SecurityGroupConflictException(string message, Exception? inner = null) : Exception(message, inner);
