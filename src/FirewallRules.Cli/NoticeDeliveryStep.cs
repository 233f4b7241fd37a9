using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Fetching;
using FirewallRules.Notices;

namespace FirewallRules.Cli;

/// <summary>The <c>--notify</c> step <c>fetch</c> and <c>sync</c> share: post the outbox's pending change notices and say how it went.</summary>
internal static class NoticeDeliveryStep
{
    /// <summary>Reports a <c>--notify</c> address that the transport rule forbids as a usage error.</summary>
    public static void Validate(CommandResult result, Option<Uri?> notify, Option<bool> allowHttp)
    {
        // From the token: reading the value would throw when its own parser already reported it.
        if (result.GetResult(notify) is { Implicit: false, Tokens: [var token] }
            && Uri.TryCreate(token.Value, UriKind.Absolute, out Uri? target) && target.Scheme is "http" or "https"
            && NoticeSender.CheckTarget(target, result.GetValue(allowHttp)) is { } problem)
        {
            result.AddError($"--notify: {problem}; pass --allow-http to allow plain http:// to another host.");
        }
    }

    /// <summary>Posts every pending notice of <paramref name="outbox"/> to <paramref name="target"/>.</summary>
    /// <returns><see cref="ExitCode.Success"/>, or <see cref="ExitCode.Network"/> when a notice is still kept (the message says where).</returns>
    public static async Task<int> RunAsync(CliConsole console, NoticeOutbox outbox, Uri target, int retries, bool quiet, CancellationToken cancellationToken)
    {
        using NoticeSender sender = NoticeSender.Create(new IpRangesClientOptions { MaxRetryAttempts = retries });
        NoticeDelivery delivery;
        try
        {
            delivery = await outbox.DeliverAsync(sender, target, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the change notices in {outbox.DirectoryPath}: {ex.Message}");
        }

        string where = NoticeSender.Describe(target);
        if (delivery.Failure is not null)
        {
            console.WriteError(
                $"fwrules: could not post {Count(delivery.Kept)} to {where}: {delivery.Failure}; kept in {outbox.DirectoryPath}, " +
                $"the next run sends {(delivery.Kept == 1 ? "it" : "them")}");
            return ExitCode.Network;
        }

        if (!quiet && delivery.Delivered > 0)
        {
            console.WriteNote($"notify: posted {Count(delivery.Delivered)} to {where}");
        }

        return ExitCode.Success;
    }

    private static string Count(int notices) => notices == 1 ? "1 change notice" : $"{notices} change notices";
}
