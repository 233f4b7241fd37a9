namespace FirewallRules.Tests.Ranges;

[TestFixture]
public class SiteTests
{
    [TestCase("us1", "US1")]
    [TestCase("EU1", "EU1")]
    [TestCase("eu", "EU1")]
    [TestCase("datadoghq.eu", "EU1")]
    [TestCase("app.datadoghq.eu", "EU1")]
    [TestCase("ip-ranges.us5.datadoghq.com", "US5")]
    [TestCase("us1-fed", "US1-FED")]
    [TestCase("gov", "US1-FED")]
    [TestCase("ddog-gov.com", "US1-FED")]
    [TestCase("us2.ddog-gov.com", "US2-FED")]
    [TestCase("uk1", "UK1")]
    [TestCase("ap2", "AP2")]
    public void Parse_WhatPeopleType_FindsTheSite(string text, string name)
    {
        Assert.That(Site.Parse(text).Name, Is.EqualTo(name));
    }

    [Test]
    public void IpRangesUri_EverySite_IsTheDocumentedHost()
    {
        Assert.That(Site.All.Select(s => s.IpRangesUri.AbsoluteUri), Is.EqualTo(new[]
        {
            "https://ip-ranges.datadoghq.com/", "https://ip-ranges.us3.datadoghq.com/", "https://ip-ranges.us5.datadoghq.com/",
            "https://ip-ranges.datadoghq.eu/", "https://ip-ranges.ap1.datadoghq.com/", "https://ip-ranges.ap2.datadoghq.com/",
            "https://ip-ranges.uk1.datadoghq.com/", "https://ip-ranges.ddog-gov.com/", "https://ip-ranges.us2.ddog-gov.com/",
        }));
        Assert.That(Site.EU1.GetSectionUri("remote_configuration").AbsoluteUri, Is.EqualTo("https://ip-ranges.datadoghq.eu/remote-configuration.json"));
    }

    [Test]
    public void Parse_MirrorUrl_IsACustomSiteWithATrailingSlash()
    {
        Site mirror = Site.Parse("https://mirror.example.net/datadog/us1");

        Assert.That(mirror.IsCustom, Is.True);
        Assert.That(mirror.IpRangesUri.AbsoluteUri, Is.EqualTo("https://mirror.example.net/datadog/us1/"));
        Assert.That(mirror.GetSectionUri("logs").AbsoluteUri, Is.EqualTo("https://mirror.example.net/datadog/us1/logs.json"));
    }

    [Test]
    public void Parse_MirrorUrlOfAJsonFile_IsTheDocumentItselfWithSectionsBesideIt()
    {
        Site mirror = Site.Parse("http://127.0.0.1:8099/datadog/ip-ranges.json");

        Assert.That(mirror.IpRangesUri.AbsoluteUri, Is.EqualTo("http://127.0.0.1:8099/datadog/ip-ranges.json"));
        Assert.That(mirror.GetSectionUri("logs").AbsoluteUri, Is.EqualTo("http://127.0.0.1:8099/datadog/logs.json"));
    }

    [TestCase("us4")]
    [TestCase("datadoghq.org")]
    [TestCase("ftp://mirror.example.net/")]
    [TestCase("https://user:pw@mirror.example.net/")]
    [TestCase("")]
    public void Parse_NoSuchSite_ListsTheValidNames(string text)
    {
        Assert.That(Site.TryParse(text, out _), Is.False);
        if (text.Length > 0)
        {
            Assert.That(() => Site.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains("us1, us3, us5, eu1"));
        }
    }
}
