using FirewallRules.Server;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Server;

[TestFixture]
public sealed class ColdStartBackoffTests
{
    [FsCheckProperty(MaxTest = 300)]
    public void Next_AnySeed_EachWaitIsInTheUpperHalfOfABoundThatDoublesFromOneSecondToFifteen(int seed)
    {
        var backoff = new ColdStartBackoff(TimeSpan.FromMinutes(15), new Random(seed));

        double[] waits = [.. Enumerable.Range(0, 10).Select(_ => backoff.Next().TotalSeconds)];

        double[] bounds = [1, 2, 4, 8, 15, 15, 15, 15, 15, 15];
        Assert.That(waits.Zip(bounds).All(pair => pair.First >= pair.Second / 2 && pair.First <= pair.Second), Is.True, string.Join(", ", waits));
    }

    [Test]
    public void Next_AtTheLongestWait_IsJittered()
    {
        var backoff = new ColdStartBackoff(TimeSpan.FromMinutes(15), new Random(7));
        TimeSpan[] waits = [.. Enumerable.Range(0, 30).Select(_ => backoff.Next()).Skip(4)];

        Assert.That(waits, Has.All.LessThanOrEqualTo(ColdStartBackoff.Longest));
        Assert.That(waits.Distinct().Count(), Is.GreaterThan(20), "mirrors restarted together must not fetch in step");
    }

    [Test]
    public void Next_RefreshShorterThanTheBound_NeverWaitsLongerThanTheRefresh()
    {
        var backoff = new ColdStartBackoff(TimeSpan.FromSeconds(3), new Random(1));

        Assert.That(Enumerable.Range(0, 10).Select(_ => backoff.Next()), Has.All.LessThanOrEqualTo(TimeSpan.FromSeconds(3)));
    }
}
