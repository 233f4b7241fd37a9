using FirewallRules.Fetching;
using FirewallRules.Notices;
using FirewallRules.Ranges;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Server;

/// <summary>
/// <c>serve --notify</c>: after every refresh, records a change notice for each version change the site's outbox has
/// not seen (the outbox <c>fetch</c> and <c>sync</c> use, beside the site's snapshots), then posts what is pending. A
/// notice the receiver does not take stays in the outbox and is posted after the next refresh: never lost, and
/// never sent twice, also across restarts.
/// </summary>
internal sealed class MirrorNotices(MirrorSettings settings, SnapshotStore store, TimeProvider time, ILogger<MirrorNotices> logger)
    : IDisposable
{
    private readonly NoticeSender? _sender = settings.Notify is null
        ? null
        : NoticeSender.Create(new IpRangesClientOptions { MaxRetryAttempts = settings.Retries, AllowInsecureHttp = settings.AllowHttp });

    /// <summary>Records and posts the notices of <paramref name="site"/>; does nothing without a target.</summary>
    public async Task NotifyAsync(MirroredSite site, CancellationToken cancellationToken)
    {
        if (_sender is null || settings.Notify is not Uri target)
        {
            return;
        }

        var outbox = NoticeOutbox.For(store, site.Source);
        try
        {
            await outbox.RecordAsync(store, site.Source, time, cancellationToken).ConfigureAwait(false);
            NoticeDelivery delivery = await outbox.DeliverAsync(_sender, target, time, cancellationToken).ConfigureAwait(false);
            string where = NoticeSender.Describe(target);
            if (delivery.Failure is not null)
            {
                ServerLog.Kept(logger, site.Key, delivery.Kept, where, delivery.Failure, outbox.DirectoryPath);
            }
            else if (delivery.Delivered > 0)
            {
                ServerLog.Posted(logger, site.Key, delivery.Delivered, where);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IpRangesFormatException or System.Security.SecurityException)
        {
            ServerLog.OutboxFailed(logger, site.Key, outbox.DirectoryPath, ex.Message);
        }
    }

    public void Dispose() => _sender?.Dispose();
}
