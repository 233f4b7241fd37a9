using System.Net;
using FirewallRules.Sync;
using FirewallRules.Tests.Cidr;
using FsCheck;
using FsCheck.Fluent;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Sync;

/// <summary>The keep period for prefixes Datadog stops publishing, against a reference model over random histories.</summary>
[TestFixture]
public class RetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PrefixSet Old = PrefixSet.Parse("3.233.144.0/20\n3.230.20.128/25");
    private static readonly PrefixSet New = PrefixSet.Parse("3.233.144.0/20");

    [Test]
    public void Apply_PrefixNoLongerPublished_StaysUntilTheKeepPeriodEndsThenGoes()
    {
        TimeSpan keep = TimeSpan.FromHours(1);
        RetainedPrefixes first = Apply(Old, Empty(), Start, keep);

        RetainedPrefixes kept = Apply(New, first.LastSeen, Start + TimeSpan.FromMinutes(59), keep);
        RetainedPrefixes gone = Apply(New, kept.LastSeen, Start + keep, keep);

        Assert.That(kept.Effective["logs"], Is.EqualTo(Old));
        Assert.That(kept.Kept, Is.EqualTo(new[] { new KeptPrefix("logs", IPNetwork.Parse("3.230.20.128/25"), Start + keep) }));
        Assert.That(gone.Effective["logs"], Is.EqualTo(New));
        Assert.That(gone.Kept, Is.Empty);
        Assert.That(gone.LastSeen["logs"].Keys, Is.EquivalentTo(New), "an expired prefix is forgotten");
    }

    [Test]
    public void Apply_LastSeenPastTheLatestVouchedTime_CountsAsThatTime()
    {
        // A run with the clock ten years ahead recorded the retired prefix then; the upstream vouches for Start.
        var state = new SyncState
        {
            Published = new(StringComparer.Ordinal) { ["logs"] = new(StringComparer.Ordinal) { ["3.230.20.128/25"] = Start.AddYears(10) } },
        };
        TimeSpan keep = TimeSpan.FromHours(1);

        RetainedPrefixes kept = Retention.Apply(LogsDocument(), ["logs"], state, Start.AddMinutes(30), keep, latest: Start);
        RetainedPrefixes gone = Retention.Apply(LogsDocument(), ["logs"], state, Start + keep, keep, latest: Start);

        Assert.That(kept.Kept, Is.EqualTo(new[] { new KeptPrefix("logs", IPNetwork.Parse("3.230.20.128/25"), Start + keep) }));
        Assert.That(kept.LastSeen["logs"][IPNetwork.Parse("3.230.20.128/25")], Is.EqualTo(Start), "written back as the vouched time");
        Assert.That(gone.Effective["logs"], Is.EqualTo(New), "kept past the keep period from the vouched time");
    }

    [Test]
    public void Apply_LastSeenBeforeTheLatestVouchedTime_KeepsItsOwnTime()
    {
        // Seen 50 minutes before the time the upstream vouches for: its keep period runs from then, not from the vouched time.
        var state = new SyncState
        {
            Published = new(StringComparer.Ordinal) { ["logs"] = new(StringComparer.Ordinal) { ["3.230.20.128/25"] = Start.AddMinutes(-50) } },
        };
        TimeSpan keep = TimeSpan.FromHours(1);

        RetainedPrefixes kept = Retention.Apply(LogsDocument(), ["logs"], state, Start.AddMinutes(5), keep, latest: Start);

        Assert.That(kept.Kept, Is.EqualTo(new[] { new KeptPrefix("logs", IPNetwork.Parse("3.230.20.128/25"), Start.AddMinutes(10)) }));
        Assert.That(kept.LastSeen["logs"][IPNetwork.Parse("3.230.20.128/25")], Is.EqualTo(Start.AddMinutes(-50)), "written back as recorded");
    }

    // The clock is behind while it is before the upstream's last confirmation: one minute after it, at it, one minute before.
    [TestCase(-1, false)]
    [TestCase(0, false)]
    [TestCase(1, true)]
    public void Apply_FromState_CountsTheClockBehindOnlyWhileItIsBeforeTheLastConfirmation(int confirmedMinutesFromNow, bool behind)
    {
        // A retired prefix recorded an hour ahead of the clock: written back as read while the clock is behind, as now otherwise.
        DateTimeOffset ahead = Start.AddHours(1);
        var state = new SyncState
        {
            Confirmed = Start.AddMinutes(confirmedMinutesFromNow),
            Published = new(StringComparer.Ordinal) { ["logs"] = new(StringComparer.Ordinal) { ["3.230.20.128/25"] = ahead } },
        };

        RetainedPrefixes result = Retention.Apply(LogsDocument(), ["logs"], state, Start, TimeSpan.FromHours(2));

        Assert.That(result.Effective["logs"], Is.EqualTo(Old));
        Assert.That(result.LastSeen["logs"][IPNetwork.Parse("3.230.20.128/25")], Is.EqualTo(behind ? ahead : Start));
    }

    [Test]
    public void Apply_KeptPieceUnderTwoRememberedPrefixes_IsReportedUntilTheLastOfItGoes()
    {
        TimeSpan keep = TimeSpan.FromHours(1);
        // 3.230.20.0/24 last seen at Start, its lower half 20 minutes later; then neither is published.
        RetainedPrefixes seen = Apply(PrefixSet.Parse("3.230.20.0/24"), Empty(), Start, keep);
        seen = Apply(PrefixSet.Parse("3.230.20.0/25"), seen.LastSeen, Start.AddMinutes(20), keep);

        RetainedPrefixes later = Apply(New, seen.LastSeen, Start.AddMinutes(30), keep);
        RetainedPrefixes lowerHalfLeft = Apply(New, later.LastSeen, Start.AddMinutes(79), keep);

        Assert.That(later.Kept, Is.EqualTo(new[] { new KeptPrefix("logs", IPNetwork.Parse("3.230.20.0/24"), Start.AddMinutes(20) + keep) }));
        Assert.That(lowerHalfLeft.Effective["logs"], Is.EqualTo(New.Union(PrefixSet.Parse("3.230.20.0/25"))), "part of the piece is still allowed before then");
    }

    [Test]
    public void Apply_KeepPeriodPastTheEndOfTheCalendar_EndsAtTheLastTimeThereIs()
    {
        TimeSpan keep = TimeSpan.FromHours(1);
        DateTimeOffset end = DateTimeOffset.MaxValue.AddMinutes(-30);
        RetainedPrefixes seen = Apply(Old, Empty(), end.AddMinutes(-10), keep);

        RetainedPrefixes kept = Apply(New, seen.LastSeen, end, keep);

        Assert.That(kept.Kept, Is.EqualTo(new[] { new KeptPrefix("logs", IPNetwork.Parse("3.230.20.128/25"), DateTimeOffset.MaxValue) }));
    }

    // Keep periods longer than the whole calendar (TimeSpan reaches about 29,000 years; 10675199d is its largest whole day).
    [TestCase(10675199)]
    [TestCase(3660000)]
    public void Apply_KeepPeriodLongerThanTheCalendar_EndsAtTheLastTimeThereIs(int days)
    {
        TimeSpan keep = TimeSpan.FromDays(days);
        RetainedPrefixes seen = Apply(Old, Empty(), Start, keep);

        RetainedPrefixes kept = Apply(New, seen.LastSeen, Start.AddMinutes(1), keep);

        Assert.That(kept.Kept, Is.EqualTo(new[] { new KeptPrefix("logs", IPNetwork.Parse("3.230.20.128/25"), DateTimeOffset.MaxValue) }));
    }

    [Test]
    public void Apply_KeepZero_DropsAWithdrawnPrefixAtOnce()
    {
        RetainedPrefixes first = Apply(Old, Empty(), Start, TimeSpan.Zero);

        RetainedPrefixes next = Apply(New, first.LastSeen, Start, TimeSpan.Zero);

        Assert.That(next.Effective["logs"], Is.EqualTo(New));
        Assert.That(next.Kept, Is.Empty);
    }

    [Test]
    public void Apply_PrefixPublishedAgain_RestartsItsKeepPeriod()
    {
        TimeSpan keep = TimeSpan.FromHours(1);
        RetainedPrefixes seen = Apply(Old, Empty(), Start, keep);
        seen = Apply(New, seen.LastSeen, Start + TimeSpan.FromMinutes(30), keep);
        seen = Apply(Old, seen.LastSeen, Start + TimeSpan.FromMinutes(50), keep);

        RetainedPrefixes later = Apply(New, seen.LastSeen, Start + TimeSpan.FromMinutes(100), keep);

        Assert.That(later.Kept.Single().Until, Is.EqualTo(Start + TimeSpan.FromMinutes(50) + keep));
    }

    [Test]
    public void Apply_LastSeenAheadOfAClockNotBehind_CountsAsNowAndIsWrittenBackAsNow()
    {
        TimeSpan keep = TimeSpan.FromHours(1);
        // Written by a clock that ran a year ahead (or by hand): the prefix is kept no longer than the keep period from this run.
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> { ["logs"] = new() { [IPNetwork.Parse("3.230.20.128/25")] = Start.AddYears(1) } };

        RetainedPrefixes kept = Apply(New, lastSeen, Start, keep);
        RetainedPrefixes gone = Apply(New, kept.LastSeen, Start + keep, keep);

        Assert.That(kept.Effective["logs"], Is.EqualTo(Old));
        Assert.That(kept.Kept.Single().Until, Is.EqualTo(Start + keep), "the keep period is counted from the future time");
        Assert.That(kept.LastSeen["logs"][IPNetwork.Parse("3.230.20.128/25")], Is.EqualTo(Start), "the future time is written back");
        Assert.That(gone.Effective["logs"], Is.EqualTo(New), "kept past the keep period from the run that read it");
    }

    [Test]
    public void Apply_ClockBehindTheRecords_KeepsEveryPrefixAndWritesEachTimeBackAsRead()
    {
        TimeSpan keep = TimeSpan.FromHours(24);
        // Last synced at Start; the real-time clock was then reset to 2000 and the host booted.
        DateTimeOffset reset = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        RetainedPrefixes synced = Apply(Old, Empty(), Start, keep);
        synced = Apply(New, synced.LastSeen, Start + TimeSpan.FromHours(1), keep);

        RetainedPrefixes behind = Retention.Apply(new Dictionary<string, PrefixSet> { ["logs"] = New }, synced.LastSeen, reset, keep, clockBehind: true);
        RetainedPrefixes right = Apply(New, behind.LastSeen, Start + TimeSpan.FromHours(23), keep);
        RetainedPrefixes later = Apply(New, right.LastSeen, Start + keep, keep);

        Assert.That(behind.Effective["logs"], Is.EqualTo(Old), "a prefix in its grace period was dropped while the clock was behind");
        Assert.That(behind.LastSeen["logs"], Is.EquivalentTo(synced.LastSeen["logs"]), "a time was moved back to the clock's");
        Assert.That(right.Effective["logs"], Is.EqualTo(Old), "the grace period was cut short once the clock was right");
        Assert.That(later.Effective["logs"], Is.EqualTo(New), "the grace period was lengthened by the clock's error");
    }

    [FsCheckProperty(Arbitrary = [typeof(RetentionTests)], MaxTest = 300)]
    public void Apply_AnyHistory_AllowsWhatIsPublishedOrWasPublishedWithinTheKeepPeriod(History history)
    {
        var seen = new List<(DateTimeOffset At, PrefixSet Published)>();
        IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen = Empty();
        DateTimeOffset now = Start;
        foreach ((int minutes, PrefixSet published) in history.Steps)
        {
            now += TimeSpan.FromMinutes(minutes);
            seen.Add((now, published));
            RetainedPrefixes result = Apply(published, lastSeen, now, history.Keep);
            lastSeen = result.LastSeen;

            // The model: an address stays allowed while some document seen less than the keep period ago listed it.
            PrefixSet expected = seen.Where(s => now - s.At < history.Keep).Aggregate(published, (all, s) => all.Union(s.Published));
            Assert.That(result.Effective["logs"], Is.EqualTo(expected), $"at +{(now - Start).TotalMinutes} min, keep {history.Keep.TotalMinutes} min");
            Assert.That(PrefixSet.Create(result.Kept.Select(k => k.Prefix)), Is.EqualTo(expected.Except(published)));
            Assert.That(result.Kept.Select(k => k.Until), Has.All.GreaterThan(now));
        }
    }

    /// <summary>Random histories: up to eight documents, minutes apart, each listing prefixes from one cluster, and a keep period.</summary>
    public static Arbitrary<History> Histories() =>
        (from keep in Gen.Choose(0, 180)
         from count in Gen.Choose(1, 8)
         from steps in Gen.ArrayOf(Step, count)
         select new History(TimeSpan.FromMinutes(keep), steps)).ToArbitrary();

    // Prefixes clustered around 3.233.144.0, so that documents overlap, nest and split one another.
    private static Gen<(int Minutes, PrefixSet Published)> Step =>
        from minutes in Gen.Choose(0, 90)
        from size in Gen.Choose(0, 6)
        from prefixes in Gen.ArrayOf(CidrGenerators.Prefix(32, 0x03E99000), size)
        select (minutes, PrefixSet.Create(prefixes.Select(p => p.ToNetwork())));

    private static RetainedPrefixes Apply(PrefixSet published, IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, DateTimeOffset now, TimeSpan keep) =>
        Retention.Apply(new Dictionary<string, PrefixSet> { ["logs"] = published }, lastSeen, now, keep);

    private static Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> Empty() => [];

    // A document whose logs section publishes New.
    private static IpRangesDocument LogsDocument() =>
        IpRangesDocument.Parse("""{"version": 2, "logs": {"prefixes_ipv4": ["3.233.144.0/20"], "prefixes_ipv6": []}}""");

    /// <summary>One random history.</summary>
    public sealed record History(TimeSpan Keep, (int Minutes, PrefixSet Published)[] Steps)
    {
        public override string ToString() =>
            $"keep {Keep.TotalMinutes} min: " + string.Join("; ", Steps.Select(s => $"+{s.Minutes} min [{string.Join(", ", s.Published)}]"));
    }
}
