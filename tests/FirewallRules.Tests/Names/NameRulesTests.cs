using System.Text.RegularExpressions;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Names;
using FirewallRules.Ranges;
using FirewallRules.Rules;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Names;

/// <summary>The one validator for names, against regular expressions, and every place that takes a name using it.</summary>
[TestFixture]
public partial class NameRulesTests
{
    // Letters, digits, the allowed punctuation, and characters that must never get in.
    private const string Alphabet = "aZq09-_.: '\"\\$`\n\u00e9\u0430\u2019";

    [FsCheckProperty(MaxTest = 2000)]
    public void IsPlainName_AnyText_MatchesTheReference(byte[] picks, byte maxLength)
    {
        string name = Text(picks);
        int max = maxLength % 70 + 1;

        Assert.That(NameRules.IsPlainName(name, max), Is.EqualTo(name.Length <= max && PlainName().IsMatch(name)), $"'{name}' within {max}");
    }

    [FsCheckProperty(MaxTest = 2000)]
    public void IsKey_AnyText_MatchesTheReference(byte[] picks)
    {
        string key = Text(picks);

        Assert.That(NameRules.IsKey(key), Is.EqualTo(key.Length <= 64 && Key().IsMatch(key)), $"'{key}'");
    }

    [TestCase("datadog", true)]
    [TestCase("a", true)]
    [TestCase("dd_prod-1", true)]
    [TestCase("", false)]
    [TestCase(null, false)]
    [TestCase("1dd", false)]
    [TestCase("-dd", false)]
    [TestCase("dd prod", false)]
    [TestCase("a-twenty-chars-name1", true)]
    [TestCase("a-twenty-one-chars-nm", false)]
    public void EmitterOptionsIsValidName_IsThePlainNameRuleAtTwenty(string? name, bool valid) =>
        Assert.That(EmitterOptions.IsValidName(name), Is.EqualTo(valid).And.EqualTo(NameRules.IsPlainName(name, 20)));

    [Test]
    public void OptionsNames_RefusedWithOneSpellingOfTheRule()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new EmitterOptions { Name = "a b" }, Throws.ArgumentException.With.Message.StartsWith(
                "name 'a b' is not allowed: use 1 to 20 characters, a letter first, then letters, digits, - or _"));
            Assert.That(() => new IptablesEmitterOptions { EgressHook = "a b" }, Throws.ArgumentException.With.Message.StartsWith(
                "chain 'a b' is not allowed: use 1 to 28 characters, a letter first, then letters, digits, - or _"));
            Assert.That(() => new NftablesEmitterOptions { Table = "a b" }, Throws.ArgumentException.With.Message.StartsWith(
                "table 'a b' is not allowed: use 1 to 64 characters, a letter first, then letters, digits, - or _"));
        });
    }

    [Test]
    public void Keys_SectionNamesAndRuleSources_RefusedWithOneSpellingOfTheRule()
    {
        const string Document = """{"version": 1, "modified": "2024-01-01-00-00-00", "log s": {"prefixes_ipv4": ["3.233.144.0/20"], "prefixes_ipv6": []}}""";

        Assert.Multiple(() =>
        {
            Assert.That(() => IpRangesDocument.Parse(Document), Throws.TypeOf<IpRangesFormatException>().With.Message.Contains(
                "\"log s\" is not allowed: use 1 to 64 letters, digits and - _ . :"));
            Assert.That(() => new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Parse("443"), PrefixSet.Parse("192.0.2.0/24"), ["log s"]),
                Throws.TypeOf<RuleGenerationException>().With.Message.EqualTo("'log s' cannot name a rule's source: use 1 to 64 letters, digits and - _ . :"));
        });
    }

    private static string Text(byte[]? picks) => string.Concat((picks ?? []).Select(b => Alphabet[b % Alphabet.Length]));

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_-]*\z")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"^[A-Za-z0-9_.:-]+\z")]
    private static partial Regex Key();
}
