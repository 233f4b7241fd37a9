using FirewallRules.IO;

namespace FirewallRules.Tests.IO;

[TestFixture]
public class DurationTextTests
{
    [TestCase("0", 0)]
    [TestCase("90s", 90)]
    [TestCase("30m", 1800)]
    [TestCase("24h", 86400)]
    [TestCase("7d", 604800)]
    [TestCase("2w", 1209600)]
    [TestCase("1h30m", 5400)]
    public void TryParse_UnitsAndCombinations_ReadsTheSeconds(string text, long seconds)
    {
        Assert.That(DurationText.TryParse(text, out TimeSpan value), Is.True);
        Assert.That(value, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
        Assert.That(DurationText.TryParse(DurationText.Format(value), out TimeSpan again) && again == value, Is.True, "Format reads back");
    }

    [TestCase("")]
    [TestCase("24")]
    [TestCase("h")]
    [TestCase("-1h")]
    [TestCase("1.5h")]
    [TestCase("1 h")]
    [TestCase("1y")]
    [TestCase("999999999w999999999w")]
    public void TryParse_NotADuration_IsRefused(string text)
    {
        Assert.That(DurationText.TryParse(text, out _), Is.False);
    }
}
