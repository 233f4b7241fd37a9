using System.Text.Json;
using FirewallRules.Fetching;
using FirewallRules.Notices;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Notices;

/// <summary>The outbox against a real receiver on 127.0.0.1: every change noticed once, kept until delivered, never sent twice.</summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class NoticeOutboxTests : IDisposable
{
    // EU1: its versions count apart from the US1 snapshot shipped in the library, so US1's real history replays on an empty cache.
    private static readonly Site Site = Site.EU1;
    private readonly string _cache = Directory.CreateTempSubdirectory("fwrules-notices-").FullName;
    private NoticeReceiver _receiver = null!;

    private SnapshotStore Store => new(_cache);

    [SetUp]
    public async Task StartReceiver() => _receiver = await NoticeReceiver.StartAsync();

    [TearDown]
    public async Task StopReceiver() => await _receiver.DisposeAsync();

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Test]
    public async Task Record_FirstVersionSeen_OnlyRemembersIt()
    {
        await SaveAsync(46);

        ChangeNotice? notice = await Outbox.RecordAsync(Store, Site, TimeProvider.System, default);

        Assert.That(notice, Is.Null);
        Assert.That(Outbox.PendingFiles, Is.Empty);
    }

    [Test]
    public async Task Deliver_ReceiverFailsTheFirstAttempts_ExactlyOneNoticeArrives()
    {
        await SaveAndRecordAsync(46, 47);
        _receiver.FailFirst = 2;

        NoticeDelivery delivery = await DeliverAsync(retries: 3);

        Assert.That(delivery, Is.EqualTo(new NoticeDelivery(1, 0, null)));
        Assert.That(_receiver.Requests, Is.EqualTo(3));
        ReceivedNotice received = _receiver.Accepted.Single();
        Assert.That((received.Method, received.Path, received.ContentType), Is.EqualTo(("POST", "/hooks/T000/secret", "application/json; charset=utf-8")));
        using JsonDocument json = JsonDocument.Parse(received.Json);
        Assert.That(received.IdempotencyKey, Is.EqualTo(json.RootElement.GetProperty("id").GetString()).And.EqualTo("https://ip-ranges.datadoghq.eu/#v46-v47"));
        Assert.That(Outbox.PendingFiles, Is.Empty);
        Assert.That((await DeliverAsync(retries: 3)).Delivered, Is.Zero, "a delivered notice is not sent again");
        Assert.That(_receiver.Accepted, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Deliver_ReceiverStillFailingAfterRetries_KeepsTheNoticeForTheNextRunWhichSendsItOnce()
    {
        await SaveAndRecordAsync(46, 47);
        _receiver.FailFirst = 2;

        NoticeDelivery failed = await DeliverAsync(retries: 1);
        await Outbox.RecordAsync(Store, Site, TimeProvider.System, default);
        NoticeDelivery next = await DeliverAsync(retries: 1);
        NoticeDelivery after = await DeliverAsync(retries: 1);

        Assert.That(failed, Is.EqualTo(new NoticeDelivery(0, 1, "HTTP 503 (ServiceUnavailable)")));
        Assert.That((next.Delivered, after.Delivered), Is.EqualTo((1, 0)));
        Assert.That(_receiver.Accepted, Has.Count.EqualTo(1));
    }

    // Followed, a 302 turns the POST into a GET without the notice, and the run would count it delivered.
    [Test]
    public async Task Deliver_ReceiverRedirects_IsNotFollowedAndTheNoticeIsKept()
    {
        await SaveAndRecordAsync(46, 47);
        _receiver.RedirectTo = "/moved";

        NoticeDelivery delivery = await DeliverAsync(retries: 1);

        Assert.That(delivery, Is.EqualTo(new NoticeDelivery(0, 1, "HTTP 302 (Found)")));
        Assert.That((_receiver.Requests, _receiver.Accepted.Count), Is.EqualTo((1, 0)), "one POST, and nothing sent where it pointed");
        Assert.That(Outbox.PendingFiles, Is.Not.Empty, "kept for the next run");
    }

    [Test]
    public async Task Record_RunDiedAfterFetchingBeforeRecording_TheNextRunRecordsTheChange()
    {
        await SaveAsync(46);
        await Outbox.RecordAsync(Store, Site, TimeProvider.System, default);
        await SaveAsync(47);

        // A new process: nothing in memory, only the store and the outbox's files.
        ChangeNotice? notice = await Outbox.RecordAsync(Store, Site, TimeProvider.System, default);

        Assert.That(notice?.Text, Does.Contain("from version 46 to 47"));
        Assert.That(Outbox.PendingFiles.Select(Path.GetFileName), Is.EqualTo(new[] { "00000001-v46-v47.json" }));
    }

    [Test]
    public async Task Record_RunDiedAfterWritingTheNoticeBeforeMovingOn_WritesTheSameNoticeOnce()
    {
        await SaveAsync(46);
        await Outbox.RecordAsync(Store, Site, TimeProvider.System, default);
        string noticed = Path.Combine(Outbox.DirectoryPath, "noticed.json");
        byte[] before = File.ReadAllBytes(noticed);
        await SaveAsync(47);
        await Outbox.RecordAsync(Store, Site, TimeProvider.System, default);
        File.WriteAllBytes(noticed, before);

        await Outbox.RecordAsync(Store, Site, TimeProvider.System, default);
        await DeliverAsync(retries: 0);

        Assert.That(_receiver.Accepted, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Deliver_SeveralChanges_SendsThemOldestFirst()
    {
        await SaveAndRecordAsync(46, 47, 52);

        await DeliverAsync(retries: 0);

        Assert.That(_receiver.Accepted.Select(n => n.IdempotencyKey), Is.EqualTo(new[]
        {
            "https://ip-ranges.datadoghq.eu/#v46-v47", "https://ip-ranges.datadoghq.eu/#v47-v52",
        }));
    }

    private NoticeOutbox Outbox => NoticeOutbox.For(Store, Site);

    private async Task SaveAsync(int version) =>
        await Store.SaveAsync(Site, IpRangesDocument.Load(FetchTesting.Document(version), Site), validators: null);

    private async Task SaveAndRecordAsync(params int[] versions)
    {
        foreach (int version in versions)
        {
            await SaveAsync(version);
            await Outbox.RecordAsync(Store, Site, TimeProvider.System, default);
        }
    }

    private async Task<NoticeDelivery> DeliverAsync(int retries)
    {
        using NoticeSender sender = NoticeSender.Create(new IpRangesClientOptions
        {
            MaxRetryAttempts = retries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        });
        return await Outbox.DeliverAsync(sender, _receiver.Url, TimeProvider.System, default);
    }
}
