using FirewallRules.Fetching;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// The <c>Age</c> header a mirror sends (RFC 9111, 5.1): read as a non-negative integer of seconds, anything else ignored as if absent,
/// a value past ten years (or past any integer) counted as ten years, several values as the oldest; and carried by a real fetch, a
/// <c>304</c> too, so that a sync counts its confirmation from the origin's.
/// </summary>
[TestFixture]
public sealed class AgeHeaderTests
{
    private static readonly TimeSpan TenYears = TimeSpan.FromDays(3650);

    [TestCase("0", 0)]
    [TestCase("5", 5)]
    [TestCase("007", 7)]
    [TestCase(" 691200\t", 691200)] // surrounding whitespace is the field's, not the value's
    [TestCase("315360000", 315360000)] // ten years exactly
    public void Parse_DeltaSeconds_IsThatManySeconds(string value, long seconds) =>
        Assert.That(AgeHeader.Parse([value]), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase("-1")]
    [TestCase("+5")]
    [TestCase("1.5")]
    [TestCase("1e6")]
    [TestCase("5 s")]
    [TestCase("0x10")]
    [TestCase("")]
    [TestCase("Sun, 29 Nov 2026 10:00:00 GMT")]
    [TestCase("\u0665")] // an Arabic-Indic five: a digit, but not an ASCII one
    public void Parse_NotANonNegativeInteger_IsIgnoredAsIfAbsent(string value) => Assert.That(AgeHeader.Parse([value]), Is.Null);

    [TestCase("315360001")]
    [TestCase("2147483648")]
    [TestCase("99999999999999999999999999999999")]
    public void Parse_PastTenYears_CountsAsTenYears(string value) => Assert.That(AgeHeader.Parse([value]), Is.EqualTo(TenYears));

    [Test]
    public void Parse_SeveralValues_CountsTheOldestThatCanBeRead()
    {
        Assert.That(AgeHeader.Parse(["5", "691200"]), Is.EqualTo(TimeSpan.FromDays(8)));
        Assert.That(AgeHeader.Parse(["5, 691200"]), Is.EqualTo(TimeSpan.FromDays(8)));
        Assert.That(AgeHeader.Parse(["x", "60"]), Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(AgeHeader.Parse([]), Is.Null);
    }

    [Test]
    public async Task GetIfModifiedAsync_AMirrorsAge_IsOnTheAnswerAndOnItsNotModified()
    {
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(52));
        var client = IpRangesClient.Create(FetchTesting.Options());
        Site site = Site.Custom(server.BaseUri);
        byte[] body = File.ReadAllBytes(FetchTesting.Document(52));
        server.Enqueue(
            WithAge("691200", IpRangesServer.Tagged(body, "\"v52\"")),
            WithAge("86400", IpRangesServer.Status(StatusCodes.Status304NotModified)),
            WithAge(new StringValues(["-3"]), IpRangesServer.Tagged(body, "\"v52\"")));

        IpRangesFetchResult answer = await client.GetIfModifiedAsync(site, validators: null);
        IpRangesFetchResult notModified = await client.GetIfModifiedAsync(site, answer.Validators);
        IpRangesFetchResult nonsense = await client.GetIfModifiedAsync(site, validators: null);
        IpRangesFetchResult none = await client.GetIfModifiedAsync(site, validators: null);

        Assert.That(answer.Age, Is.EqualTo(TimeSpan.FromDays(8)));
        Assert.That(notModified.IsNotModified, Is.True);
        Assert.That(notModified.Age, Is.EqualTo(TimeSpan.FromDays(1)));
        Assert.That(nonsense.Age, Is.Null, "a negative Age is not an age");
        Assert.That(none.Age, Is.Null, "an upstream without Age (Datadog itself)");
    }

    private static Func<HttpContext, CancellationToken, Task> WithAge(StringValues age, Func<HttpContext, CancellationToken, Task> answer) => (context, token) =>
    {
        context.Response.Headers.Age = age;
        return answer(context, token);
    };
}
