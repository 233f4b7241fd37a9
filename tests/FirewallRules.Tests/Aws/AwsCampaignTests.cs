namespace FirewallRules.Tests.Aws;

/// <summary>
/// The account fault campaign (<see cref="AwsCampaign"/>): a CI-sized run from a fixed seed, every fault dealt three times
/// (27 runs over two lanes the seed draws; at twice, 18 runs, the campaign missed the grace record kept local, a mutation patch),
/// and the long run that <c>tests/campaigns/aws-account-campaign.sh</c> starts with its seed and count (each fault drawn at
/// random; with <c>FWRULES_CAMPAIGN_DEALT</c> and <c>FWRULES_CAMPAIGN_UNTIL</c>, the replay of one run the campaign named).
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsCampaignTests
{
    /// <summary>The seed of the CI run.</summary>
    public const int Seed = 3901;

    /// <summary>How many times the CI run plays each fault.</summary>
    public const int EachFault = 3;

    [Test]
    public async Task Campaign_FixedSeedEveryFaultThreeTimes_EachListOldOrNewGraceRecordSharedStopLinesTrueAndEveryNextRunExact()
    {
        (IReadOnlyList<string> violations, IReadOnlyDictionary<string, int> faults) =
            await AwsCampaign.RunAsync(Seed, EachFault * AwsCampaign.Faults.Length, TestContext.Progress, dealt: true);

        Assert.That(violations, Is.Empty);
        Assert.That(faults, Is.EquivalentTo(AwsCampaign.Faults.ToDictionary(f => f, _ => EachFault)), "every fault played three times");
    }

    [Test]
    public async Task Campaign_LongRun_SeedAndCountFromTheEnvironment()
    {
        if (Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_RUNS") is not { } count)
        {
            Assert.Ignore("set FWRULES_CAMPAIGN_RUNS (and FWRULES_CAMPAIGN_SEED): tests/campaigns/aws-account-campaign.sh does");
            return;
        }

        int seed = int.Parse(Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_SEED") ?? "39", System.Globalization.CultureInfo.InvariantCulture);
        string? logPath = Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_LOG");
        using TextWriter log = logPath is null ? TextWriter.Null : new StreamWriter(logPath, append: true) { AutoFlush = true };
        using var both = new TeeWriter(log, TestContext.Progress);

        string? until = Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_UNTIL");
        (IReadOnlyList<string> violations, _) = await AwsCampaign.RunAsync(seed, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), both,
            dealt: Environment.GetEnvironmentVariable("FWRULES_CAMPAIGN_DEALT") == "1",
            until: until is null ? null : int.Parse(until, System.Globalization.CultureInfo.InvariantCulture));

        foreach (string violation in violations)
        {
            both.WriteLine("VIOLATION " + violation);
        }

        Assert.That(violations, Is.Empty);
    }

    private sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            first.WriteLine(value);
            second.WriteLine(value);
        }
    }
}
