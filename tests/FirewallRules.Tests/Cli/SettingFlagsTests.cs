using System.Reflection;
using System.Text.RegularExpressions;
using FirewallRules.Advice;
using FirewallRules.Cli;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Kubernetes;

namespace FirewallRules.Tests.Cli;

/// <summary>Refusals name the flag to type, never the library setting behind it.</summary>
[TestFixture]
public partial class SettingFlagsTests
{
    [Test]
    public void Flags_EveryKeyNamesASettingTheLibraryHas()
    {
        // The public options, and sync's internal ones the command line also sets.
        Type[] types = typeof(PrefixSet).Assembly.GetTypes();
        var missing = new List<string>();
        foreach (string setting in SettingFlags.Settings)
        {
            Match match = SettingName().Match(setting);
            Type? type = types.SingleOrDefault(t => t.Name == match.Groups["type"].Value);
            bool found = match.Success && type is not null && (match.Groups["parameter"].Success
                ? type.GetMethods().Any(m => m.Name == match.Groups["member"].Value && m.GetParameters().Any(p => p.Name == match.Groups["parameter"].Value))
                : type.IsEnum ? Enum.GetNames(type).Contains(match.Groups["member"].Value)
                : type.GetProperty(match.Groups["member"].Value) is PropertyInfo property
                    && (match.Groups["key"].Success ? property.PropertyType.IsGenericType
                            && property.PropertyType.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)
                        : match.Groups["text"].Success ? property.PropertyType == typeof(string)
                        : match.Groups["value"].Success
                        ? Enum.GetNames(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).Contains(match.Groups["value"].Value)
                        : !match.Groups["switch"].Success || property.PropertyType == typeof(bool)));
            if (!found)
            {
                missing.Add(setting);
            }
        }

        Assert.That(SettingFlags.Settings, Is.Not.Empty);
        Assert.That(missing, Is.Empty, "renamed or removed settings: update SettingFlags");
    }

    [Test]
    public void Flags_AreTheOnesTheFormatsDeclare()
    {
        // generate makes its platform options from the formats' declared settings under their flags, and refusals name the same flags.
        FormatSetting[] declared = [.. EmitterRegistry.Default.Descriptions.SelectMany(d => d.Settings)];

        Assert.That(declared.DistinctBy(s => s.Name).Count(), Is.GreaterThanOrEqualTo(28));
        Assert.That(declared.Where(s => !OptionName().IsMatch(s.Flag)).Select(s => s.Name), Is.Empty, "a declared flag is an option: --lowercase-words");
        Assert.That(declared.Where(s => SettingFlags.OptionFor(s.Name) != s.Flag).Select(s => s.Name), Is.Empty, "advice names the declared flag");
        Assert.That(declared.GroupBy(s => s.Name).Where(g => g.Select(s => s.Flag).Distinct().Count() > 1).Select(g => g.Key), Is.Empty,
            "one setting, one flag, in every format that takes it");
        Assert.That(declared.GroupBy(s => s.Flag).Where(g => g.Select(s => s.Kind).Distinct().Count() > 1).Select(g => g.Key), Is.Empty,
            "one flag takes one kind of value, whichever format it sets");
    }

    [Test]
    public void Flags_ASwitchAnswersItsOppositeWithout()
    {
        FormatSetting noDns = EmitterRegistry.Default.Describe("cilium").Settings.Single(s => s.Flag == "--no-dns");
        FormatSetting byName = EmitterRegistry.Default.Describe("cilium").Settings.Single(s => s.Flag == "--by-name");

        Assert.That(noDns.AdviceFlags(), Is.EqualTo(new Dictionary<string, string>
        {
            [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.AllowDns), false)] = "--no-dns",
            [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.AllowDns), true)] = "without --no-dns",
        }));
        Assert.That(SettingFlags.For(SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ByName), false)), Is.EqualTo("without --by-name"));
        Assert.That(SettingFlags.For(byName.Name), Is.EqualTo("--by-name"));
    }

    [Test]
    public void For_AnUnknownSetting_IsItsOwnName()
    {
        Assert.That(SettingFlags.For("SomeOptions.Other"), Is.EqualTo("SomeOptions.Other"));
        Assert.That(SettingFlags.For("EmitterOptions.MaxPrefixesPerRule"), Is.EqualTo("--max-rules"));
    }

    [Test]
    public void SettingAdvice_FormatsWithEitherSpelling()
    {
        var advice = new SettingAdvice("raise {0} or set {1}", "A.B", "C.D");

        Assert.That(advice.ToString(), Is.EqualTo("raise A.B or set C.D"));
        Assert.That(advice.Format(s => "--" + s[0]), Is.EqualTo("raise --A or set --C"));
        Assert.That(() => new SettingAdvice("raise {1}", "A.B"), Throws.TypeOf<FormatException>(), "a sentence naming a setting it lacks");
    }

    [TestCase("10.1.2.3/8\n", "--normalize clears them", "aggregate")]
    [TestCase("2001:0DB8::/32\n", "write \"2001:db8::/32\": --normalize reads any spelling", "aggregate")]
    [TestCase(null, "use a name prefix (--name) of at most", "generate", "-f", "ipset", "-s", "logs", "--name", "a-twenty-chars-name1")]
    [TestCase(null, "raise the prefix budget (--max-rules)", "generate", "-f", "nftables", "-s", "agents", "--max-rules", "7", "--input", "{v30}")]
    [TestCase(null, "add it with --feature", "generate", "-f", "nftables", "--agent", "datadog", "--feature", "apm", "--open", "dogstatsd=10.0.0.0/8")]
    [TestCase(
        null, "then choose a source with --prefer endpoint-table (the newer) or --prefer regions-config",
        "privatelink", "--site", "us1", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform")]
    [TestCase(
        null, "--open dogstatsd: \"10.0.0.1/8\" has host bits set (the network is 10.0.0.0/8): write the network",
        "generate", "-f", "nftables", "--agent", "datadog", "--open", "dogstatsd=10.0.0.1/8")]
    [TestCase(
        null, "--agent-network: \"10.0.0.1/16\" has host bits set (the network is 10.0.0.0/16): write the network",
        "privatelink", "--site", "us1", "-n", "10.0.0.1/16", "-e", "10.1.0.0/24", "-f", "aws-sg")]
    [TestCase(null, "--agent-network: names no network", "privatelink", "--site", "us1", "-n", ",", "-e", "10.1.0.0/24", "-f", "aws-sg")]
    [TestCase(null, "select their pods (--pod-selector KEY=VALUE)", "generate", "-f", "calico", "-s", "webhooks")]
    [TestCase(null, "open a listener to the pods' networks (--open FEATURE=PREFIX)", "generate", "-f", "kubernetes", "--agent", "datadog", "--feature", "dogstatsd")]
    [TestCase(null, "keep the DNS rule (without --no-dns)", "generate", "-f", "cilium", "-s", "logs", "--by-name", "--no-dns")]
    [TestCase(
        null, "set a prefix budget (--max-rules), or raise bpf-policy-map-max and --max-policy-map-entries",
        "generate", "-f", "cilium", "-s", "agents", "--max-policy-map-entries", "1")]
    [TestCase(null, "use the address form (without --by-name)", "generate", "-f", "cilium", "-s", "global", "--by-name")]
    [TestCase(
        null, "give --target-tag or --target-service-account",
        "generate", "-f", "gcp-firewall", "-s", "logs", "--target-tag", "agents", "--target-service-account", "a@p.iam.gserviceaccount.com")]
    [TestCase(null, "lower --priority or raise --max-ranges-per-rule", "generate", "-f", "terraform-gcp", "-s", "agents", "--priority", "65532", "--max-ranges-per-rule", "1")]
    [TestCase(null, "raise --deny-priority", "generate", "-f", "gcp-firewall", "-s", "agents", "--deny-priority", "0")]
    [TestCase(null, "--allow-http allows other hosts", "fetch", "--base-url", "http://mirror.example.net/", "--cache", "{tmp}")]
    public async Task Refusal_NamesTheFlagAndNoLibraryWord(string? stdin, string advice, params string[] args)
    {
        using var cache = new TempFiles();
        string[] resolved = [.. args.Select(a => a.Replace("{v30}", TestData.Path_("ip-ranges", "datadoghq.com-v30.json"), StringComparison.Ordinal)
            .Replace("{tmp}", cache.DirectoryPath, StringComparison.Ordinal))];

        ProcessResult result = await FwrulesInProcess.RunAsync(stdin, resolved);

        Assert.That(result.ExitCode, Is.AnyOf(1, 2));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain(advice));
        Assert.That(result.Error, Does.Not.Match(@"\w+Options\.|\(Parameter|PreferredSource|AllowInsecureHttp|ClearHostBits|AnyIPv6Text|WithPrefixBudget"));
    }

    [GeneratedRegex("^--[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex OptionName();

    [GeneratedRegex(@"^(?<type>\w+)\.(?<member>\w+)(\((?<parameter>\w+)\)|\[(?<key>[\w-]+)\])?( = (\w+\.(?<value>\w+)|(?<switch>true|false)|""(?<text>[\w-]+)""))?$")]
    private static partial Regex SettingName();
}
