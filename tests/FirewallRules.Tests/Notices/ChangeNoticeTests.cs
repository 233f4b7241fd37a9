using System.Text.Json;
using FirewallRules.Notices;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Notices;

[TestFixture]
public class ChangeNoticeTests
{
    [Test]
    public void Create_V46ToV47_ListsTheAggregatedPrefixesRemovedFromLogs()
    {
        ChangeNotice notice = ChangeNotice.Create(Load(46), Load(47));

        using JsonDocument json = JsonDocument.Parse(notice.ToJson());
        JsonElement root = json.RootElement;
        Assert.That(root.GetProperty("id").GetString(), Is.EqualTo("https://ip-ranges.datadoghq.com/#v46-v47"));
        Assert.That(root.GetProperty("site").GetString(), Is.EqualTo("US1 (datadoghq.com)"));
        Assert.That(root.GetProperty("oldVersion").GetInt64(), Is.EqualTo(46));
        Assert.That(root.GetProperty("newVersion").GetInt64(), Is.EqualTo(47));
        Assert.That(root.GetProperty("oldModified").GetString(), Is.EqualTo("2021-12-07-10-00-00"));
        Assert.That(root.GetProperty("modified").GetString(), Is.EqualTo("2022-01-25-20-00-00"));
        Assert.That(root.GetProperty("egressAffected").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("ingressAffected").GetBoolean(), Is.False);
        JsonElement logs = root.GetProperty("sections").EnumerateArray().Single();
        Assert.That(logs.GetProperty("name").GetString(), Is.EqualTo("logs"));
        Assert.That(logs.GetProperty("direction").GetString(), Is.EqualTo("egress"));
        Assert.That(Strings(logs.GetProperty("ipv4").GetProperty("removed")), Is.EqualTo(new[] { "3.230.20.128/25", "3.230.124.0/24" }));
        Assert.That(Strings(logs.GetProperty("ipv4").GetProperty("added")), Is.Empty);
        Assert.That(Strings(logs.GetProperty("ipv6").GetProperty("added")), Is.Empty);
        Assert.That(root.GetProperty("text").GetString(), Is.EqualTo(
            "Datadog IP ranges for US1 (datadoghq.com) changed from version 46 to 47: logs +0 -2 prefixes; egress rules affected"));
    }

    [Test]
    public void Create_V47ToV52_SaysBothDirectionsAreAffected()
    {
        ChangeNotice notice = ChangeNotice.Create(Load(47), Load(52));

        Assert.That(notice.Sections.Select(s => s.Name), Is.EqualTo(new[] { "synthetics", "synthetics-private-locations", "webhooks" }));
        Assert.That((notice.AffectsEgress, notice.AffectsIngress), Is.EqualTo((true, true)));
        Assert.That(notice.Text, Does.EndWith("; egress and ingress rules affected"));
    }

    [Test]
    public void Create_ReshuffleOnly_ReportsNoSectionAndNoRuleAffected()
    {
        // v47's logs /20 split into its two /21 halves: the list changes, no address does.
        byte[] reshuffled = DocumentEdits.Edit(47, root =>
        {
            root["version"] = 48;
            var prefixes = root["logs"]!["prefixes_ipv4"]!.AsArray();
            prefixes.Remove(prefixes.Single(p => p!.GetValue<string>() == "3.233.144.0/20"));
            prefixes.Add("3.233.144.0/21");
            prefixes.Add("3.233.152.0/21");
        });

        ChangeNotice notice = ChangeNotice.Create(Load(47), IpRangesDocument.Parse(reshuffled, Site.US1));

        Assert.That(notice.Diff.HasChanges, Is.True, "the lists differ");
        Assert.That(notice.Sections, Is.Empty);
        Assert.That((notice.AffectsEgress, notice.AffectsIngress), Is.EqualTo((false, false)));
        Assert.That(notice.Text, Is.EqualTo("Datadog IP ranges for US1 (datadoghq.com) changed from version 47 to 48: no address changed; no rule affected"));
    }

    private static IpRangesDocument Load(int version) => IpRangesDocument.Load(FetchTesting.Document(version), Site.US1);

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
