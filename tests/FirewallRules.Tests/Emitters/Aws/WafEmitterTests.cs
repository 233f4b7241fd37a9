using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The AWS WAF outputs (<c>aws-waf</c>, <c>terraform-aws-waf</c>): golden files, and a family over WAF's bound refused;
/// <see cref="WafRealToolTests"/> reads them with the real tools.
/// </summary>
[TestFixture]
public sealed class WafEmitterTests
{
    internal const string CloudFormation = "aws-waf", Terraform = "terraform-aws-waf";

    [TestCase(CloudFormation, "json")]
    [TestCase(Terraform, "tf")]
    public void Render_RealDocument_MatchesGoldenFile(string format, string extension) =>
        GoldenFile.AssertMatches(Rules("datadoghq.com-v40.json", "webhooks", "synthetics", "logs").Render(EmitterRegistry.Default.Create(format)),
            format, $"v40-webhooks-synthetics-logs.{extension}");

    [TestCase(CloudFormation)]
    [TestCase(Terraform)]
    public void Render_AFamilyOverWafsBound_IsRefusedNamingThePrefixBudget(string format)
    {
        var many = new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https,
            PrefixSet.Parse(string.Join('\n', Enumerable.Range(0, 10_001).Select(i => $"11.{i >> 8}.{i & 255}.1"))), ["webhooks"]);
        RuleSet rules = RuleSet.Create([many], new RuleSetProvenance(Site.US1, 1, null, ["webhooks"], false));

        Assert.That(() => rules.Render(EmitterRegistry.Default.Create(format)),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("over the 10000 addresses of an AWS WAF IP set"));
    }

    internal static readonly string[] Sections = ["webhooks", "synthetics"];

    // The oldest and newest test documents, both families and IPv4 alone (one IP set, no OR statement), and a name with an underscore.
    internal static IEnumerable<(string Document, AddressFamilies Families, string Text)> Outputs(string format)
    {
        string[] documents = [.. TestData.IpRangesDocuments.Order(StringComparer.Ordinal)];
        foreach (string document in new[] { documents[0], documents[^1] })
        {
            foreach (AddressFamilies families in new[] { AddressFamilies.Both, AddressFamilies.IPv4 })
            {
                var options = new EmitterOptions { Families = families, Name = families == AddressFamilies.Both ? "datadog" : "dd_v4" };
                yield return (document, families, Rules(Path.GetFileName(document), Sections).Render(EmitterRegistry.Default.Create(format, options)));
            }
        }
    }

    internal static RuleSet Rules(string document, params string[] sections) =>
        RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", document), Site.US1), sections);
}
