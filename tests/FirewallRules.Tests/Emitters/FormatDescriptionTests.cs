using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>Each format's description (its folder's one value) agrees with its emitter and makes the options the emitter reads.</summary>
[TestFixture]
public class FormatDescriptionTests
{
    private static EmitterRegistry Registry => EmitterRegistry.Default;

    private static IEnumerable<string> Formats => Registry.Formats.Select(f => f.Format);

    [TestCaseSource(nameof(Formats))]
    public void Description_NamesSummaryAndFamilies_AreTheEmitters(string format)
    {
        FormatDescription description = Registry.Describe(format);
        IRuleEmitter emitter = Registry.Create(format);

        Assert.That((description.Name, description.Summary, description.Families), Is.EqualTo((emitter.Format, emitter.Description, emitter.Families)));
    }

    [TestCaseSource(nameof(Formats))]
    public void Configure_WithNothingGiven_MakesTheFormatsOwnOptionsWithTheSharedSettings(string format)
    {
        FormatDescription description = Registry.Describe(format);
        var shared = new EmitterOptions { Name = "edge", Comments = false, MaxPrefixesPerRule = 9 };

        EmitterOptions options = Registry.Create(format, description.Configure(new ConfigureArguments(shared, SettingValues.None))).Options;

        Assert.That(options.GetType(), Is.EqualTo(Registry.Create(format).Options.GetType()));
        Assert.That((options.Name, options.Comments, options.Families, options.MaxPrefixesPerRule), Is.EqualTo(("edge", false, AddressFamilies.Both, (int?)9)));
    }

    [TestCaseSource(nameof(Formats))]
    public void Settings_DeclaredDefault_IsWhatTheFormatMakesWhenNotGiven(string format)
    {
        FormatDescription description = Registry.Describe(format);
        EmitterOptions options = description.Configure(new ConfigureArguments(new EmitterOptions(), SettingValues.None));

        foreach (FormatSetting setting in description.Settings.Where(s => s.Default is not null && s.Name.StartsWith(options.GetType().Name + ".", StringComparison.Ordinal)))
        {
            object? made = options.GetType().GetProperty(setting.Name.Split('.')[1])!.GetValue(options);
            Assert.That(made, Is.EqualTo(setting.Default), $"{format}: {setting.Flag}");
            Assert.That(setting.Kind != SettingKind.Number || ((int)setting.Default! >= setting.Min && (int)setting.Default! <= setting.Max), $"{format}: {setting.Flag}");
        }

        Assert.That(description.Settings.Where(s => s.Kind == SettingKind.Number && s.Default is null).Select(s => s.Flag), Is.Empty, "a number without its default");
    }

    [Test]
    public void Configure_TakesTheValuesGivenForItsSettings()
    {
        FormatDescription azure = Registry.Describe("azure-nsg");
        FormatSetting first = azure.Settings.Single(s => s.Name == "AzureNsgOptions.FirstPriority");
        FormatSetting noDeny = azure.Settings.Single(s => s.Name == "AzureNsgOptions.DenyInternetOutbound = false");

        var options = (AzureNsgOptions)azure.Configure(new ConfigureArguments(new EmitterOptions(), new SettingValues([new(first.Name, 300), new(noDeny.Name, true)])));

        Assert.That((options.FirstPriority, options.DenyInternetOutbound, options.PriorityStep), Is.EqualTo((300, false, new AzureNsgOptions().PriorityStep)));
    }

    [Test]
    public void Configure_KubernetesFormats_TakeTheirNamespaceSelectorScopeAndSizes()
    {
        var values = new SettingValues(
        [
            new("KubernetesPolicyOptions.Namespace", "monitoring"),
            new("KubernetesPolicyOptions.PodSelector", new Dictionary<string, string> { ["app"] = "agent" }),
            new("KubernetesPolicyOptions.ClusterWide", true),
            new("KubernetesPolicyOptions.ByName", true),
            new("KubernetesPolicyOptions.AllowDns = false", true),
            new("KubernetesPolicyOptions.MaxObjectBytes", 8192),
            new("KubernetesPolicyOptions.MaxPolicyMapEntries", 99),
        ]);

        var options = (KubernetesPolicyOptions)Registry.Describe("cilium").Configure(new ConfigureArguments(new EmitterOptions(), values));

        Assert.That((options.Namespace, options.PodSelector!["app"], options.ClusterWide, options.ByName, options.AllowDns, options.MaxObjectBytes, options.MaxPolicyMapEntries),
            Is.EqualTo(("monitoring", "agent", true, true, false, 8192, 99)));
        Assert.That(
            Registry.Describe("kubernetes").Settings.Select(s => s.Name),
            Does.Not.Contain("KubernetesPolicyOptions.ClusterWide").And.Not.Contain("KubernetesPolicyOptions.ByName"),
            "a plain NetworkPolicy is namespaced and holds addresses only");
    }

    [Test]
    public void Configure_GoogleCloudFormats_TakeTheirNetworkTargetsPrioritiesAndEgress()
    {
        var values = new SettingValues(
        [
            new("GcpFirewallOptions.Network", "prod"),
            new("GcpFirewallOptions.TargetTags", new[] { "agents" }),
            new("GcpFirewallOptions.FirstPriority", 900),
            new("GcpFirewallOptions.DenyPriority", 60000),
            new("GcpFirewallOptions.MaxRangesPerRule", 100),
            new("GcpFirewallOptions.DenyOtherEgress = false", true),
        ]);

        var options = (GcpFirewallOptions)Registry.Describe("terraform-gcp").Configure(new ConfigureArguments(new EmitterOptions(), values));

        Assert.That(
            (options.Network, options.TargetTags.Single(), options.TargetServiceAccounts.Count, options.FirstPriority, options.DenyPriority, options.MaxRangesPerRule,
                options.DenyOtherEgress),
            Is.EqualTo(("prod", "agents", 0, 900, 60000, 100, false)));
    }

    [Test]
    public void Settings_RefuseWhatTheOptionsSetterRefuses()
    {
        FormatSetting ns = Registry.Describe("calico").Settings.Single(s => s.Name == "KubernetesPolicyOptions.Namespace");
        FormatSetting tags = Registry.Describe("gcp-firewall").Settings.Single(s => s.Name == "GcpFirewallOptions.TargetTags");

        Assert.That(() => ns.Check("Not_A_Namespace"), Throws.ArgumentException.With.Message.Contains("not a namespace name"));
        Assert.That(() => tags.Check(new[] { "ok", "Bad Tag" }), Throws.ArgumentException.With.Message.Contains("'Bad Tag' is not a network tag"));
        Assert.That(() => ns.Check("monitoring"), Throws.Nothing);
    }

    [Test]
    public void Configure_KeepsTheLayoutAndIpsetOfEachFormat()
    {
        var values = new SettingValues([new("NftablesEmitterOptions.Table", "edge"), new("IptablesEmitterOptions.EgressHook", "FORWARD")]);

        var given = new ConfigureArguments(new EmitterOptions(), values);
        var strict = (NftablesEmitterOptions)Registry.Create("nftables-strict", Registry.Describe("nftables-strict").Configure(given)).Options;
        var ipset = (IptablesEmitterOptions)Registry.Create("iptables-ipset", Registry.Describe("iptables-ipset").Configure(given)).Options;

        Assert.That((strict.Layout, strict.Table), Is.EqualTo((NftablesLayout.StrictOwnTable, "edge")));
        Assert.That((ipset.UseIpset, ipset.EgressHook), Is.EqualTo((true, "FORWARD")));
    }

    [Test]
    public void Update_IsDeclaredByTheNftablesFormatsAndIpsetOnly()
    {
        Assert.That(Registry.Descriptions.Where(d => d.Update is not null).Select(d => d.Name),
            Is.EqualTo(new[] { "ipset", "nftables", "nftables-chain", "nftables-strict" }));
    }

    [Test]
    public void MediaType_IsJsonForTheJsonTemplatesOnly()
    {
        Assert.That(Registry.Descriptions.Where(d => d.MediaType != "text/plain").Select(d => (d.Name, d.MediaType)),
            Is.EqualTo(new[]
            {
                ("aws-cloudformation", "application/json"), ("aws-network-firewall", "application/json"), ("aws-waf", "application/json"), ("azure-arm", "application/json"),
            }));
    }

    [Test]
    public void Note_IsOwedByALargeCloudFormationTemplateTheNetworkFirewallDomainListAndTheWafRuleGroupOnly()
    {
        string[] domainList = ["aws-network-firewall", "terraform-aws-network-firewall"], waf = ["aws-waf", "terraform-aws-waf"];
        Assert.That(Registry.Describe("aws-cloudformation").Note(1_000_000), Does.Contain("through S3"));
        Assert.That(Registry.Describe("aws-cloudformation").Note(1_000), Is.Null);
        Assert.That(Registry.Describe("aws-network-firewall").Note(1_000_000), Does.Contain("through S3").And.Contain("on any port"));
        Assert.That(domainList.Select(name => Registry.Describe(name).Note(1_000)), Has.All.Contain("on any port").And.All.Not.Contain("S3"));
        Assert.That(waf.Select(name => Registry.Describe(name).Note(1_000)), Has.All.Contain("reads no X-Forwarded-For").And.All.Not.Contain("S3"));
        Assert.That(Registry.Descriptions.Where(d => d.Name != "aws-cloudformation" && !domainList.Contains(d.Name) && !waf.Contains(d.Name) && d.Note(1_000_000) is not null),
            Is.Empty);
    }

    [Test]
    public void AllowsNames_TheFormatsThatAllowHostNamesOnly()
    {
        Assert.That(Registry.Descriptions.Where(d => Registry.AllowsNames(d.Name)).Select(d => d.Name).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "aws-network-firewall", "domains", "squid", "terraform-aws-network-firewall" }));
    }

    [Test]
    public void Settings_OfOneFormat_HaveDistinctNames()
    {
        Assert.That(Registry.Descriptions.Where(d => d.Settings.Select(s => s.Name).Distinct().Count() != d.Settings.Count).Select(d => d.Name), Is.Empty);
        Assert.That(Registry.Describe("aws-sg").Settings.Select(s => s.Name), Does.Contain(SettingNamesOf<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.RulesPerGroup))));
    }

    [Test]
    public void Describe_AFormatAddedByName_HasItsEmittersFamiliesAndPlainText()
    {
        EmitterRegistry registry = EmitterRegistry.Empty.With("v6", "IPv6 only", o => new IptablesEmitter(AddressFamilies.IPv6, IptablesEmitterOptions.From(o, useIpset: false)));

        FormatDescription description = registry.Describe("v6");

        Assert.That((description.Name, description.Summary, description.Families, description.MediaType, description.Update),
            Is.EqualTo(("v6", "IPv6 only", AddressFamilies.IPv6, "text/plain", (Func<UpdateArguments, RuleSet>?)null)));
    }

    [Test]
    public void Describe_AFormatAddedByName_HasItsEmittersMediaTypeAndDeployNote_AsABuiltInDoes()
    {
        EmitterRegistry registry = EmitterRegistry.Default.With("inventory", "a JSON inventory", o => new JsonInventoryEmitter(o));

        FormatDescription description = registry.Describe("inventory");

        Assert.That((description.Name, description.Summary, description.Families, description.MediaType),
            Is.EqualTo(("inventory", "a JSON inventory", AddressFamilies.IPv4, "application/json")));
        Assert.That((description.Note(JsonInventoryEmitter.NoteAbove + 1), description.Note(JsonInventoryEmitter.NoteAbove)),
            Is.EqualTo(("upload it to object storage", (string?)null)));
        Assert.That(registry.Describe("aws-cloudformation").Note(1_000_000), Does.Contain("through S3"), "a built-in keeps its own");
    }

    private static string SettingNamesOf<T>(string property) => $"{typeof(T).Name}.{property}";

    // A user's format that says what a built-in says: its media type and a note for large outputs.
    private sealed class JsonInventoryEmitter(EmitterOptions options) : IRuleEmitter
    {
        public const long NoteAbove = 4096;

        public string Format => "json-inventory";

        public string Description => "JSON inventory";

        public AddressFamilies Families => AddressFamilies.IPv4;

        public string MediaType => "application/json";

        public EmitterOptions Options => options;

        public string? DeployNote(long bytes) => bytes > NoteAbove ? "upload it to object storage" : null;

        public void Write(PreparedRules rules, TextWriter output) =>
            output.Write($"[{string.Join(",", rules.Rules.Prefixes.IPv4.Select(p => $"\"{p}\""))}]\n");
    }
}
