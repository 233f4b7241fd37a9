using System.Globalization;
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
            throw new PrefixListConflictException($"{what}: {Describe(ex)}", ex);
        }
        catch (AmazonEC2Exception ex) when (groupConflictIsRetryable && GroupConflictCodes.Contains(ex.ErrorCode, StringComparer.Ordinal))
        {
            throw new SecurityGroupConflictException($"{what}: {Describe(ex)}", ex);
        }
        catch (AmazonServiceException ex)
        {
            throw new AwsSyncException($"{what}: {Describe(ex)}", ex);
        }
        catch (Exception ex) when (IsUnanswered(ex))
        {
            throw new AwsSyncException($"{what}: {Describe(ex)}", ex);
        }
    }

    /// <summary>
    /// A call that changes the account: not made once a stop came, and once made never given up on (sent with no
    /// cancellation, bounded by the client's timeout), since AWS carries out a call whose answer nobody waits for and what
    /// the run then reads back or puts back would be overtaken by it. The stop is seen once the call is answered.
    /// </summary>
    /// <exception cref="OperationCanceledException">Stopped: before the call (nothing sent), or while it was in flight (it was answered).</exception>
    public static async Task<T> ChangeAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken stop, bool conflictIsRetryable = false,
        bool groupConflictIsRetryable = false)
    {
        stop.ThrowIfCancellationRequested();
        T answer = await RunAsync(what, () => call(CancellationToken.None), conflictIsRetryable, groupConflictIsRetryable).ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
        return answer;
    }

    /// <summary>
    /// A call that got no answer from AWS: no connection, or one lost part-way (an <see cref="IOException"/> such as the
    /// response ending early): it may have been carried out all the same.
    /// </summary>
    public static bool IsUnanswered(Exception ex) => ex is AmazonClientException or HttpRequestException or IOException;

    /// <summary>
    /// A failure as one line of plain text: AWS's error code and message; for an answer that is not AWS's (an HTML page from
    /// a proxy or an emulator, which the SDK puts whole in its message) the HTTP status alone, never the body.
    /// </summary>
    public static string Describe(Exception failure)
    {
        if (failure is AmazonServiceException service)
        {
            string code = string.IsNullOrWhiteSpace(service.ErrorCode) ? "error" : OneLine(service.ErrorCode, 80);
            bool body = service.Message.Contains("HTTP Body", StringComparison.Ordinal) || service.Message.Contains('<', StringComparison.Ordinal);
            return body || string.IsNullOrWhiteSpace(service.Message)
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{code}: HTTP {(int)service.StatusCode} with no AWS error in the answer (not AWS's own answer: a proxy's, or an emulator's)")
                : $"{code}: {OneLine(service.Message, 300)}";
        }

        return failure is AwsSyncException or PrefixListConflictException or SecurityGroupConflictException ? failure.Message : OneLine(failure.Message, 300);
    }

    /// <summary><paramref name="text"/> on one line (control characters as spaces), cut at <paramref name="max"/> characters.</summary>
    private static string OneLine(string text, int max)
    {
        string line = string.Join(' ', new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max), "...");
    }
}

/// <summary>A list changed after it was read (the version check refused the write): read it again and plan again.</summary>
internal sealed class PrefixListConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A group changed after it was read (a rule to add is there already, or one to revoke is gone): read it again and plan again.</summary>
internal sealed class SecurityGroupConflictException(string message, Exception? inner = null) : Exception(message, inner);
