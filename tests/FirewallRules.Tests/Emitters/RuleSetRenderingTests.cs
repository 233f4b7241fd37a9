using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>The render step: it prepares the rules once, hands them to the emitter, and returns what it rendered.</summary>
[TestFixture]
public class RuleSetRenderingTests
{
    private static RuleSet Agents => RuleSet.For(Version(30), Section.Agents);

    [Test]
    public void Render_FamiliesAndBudget_EmitterReceivesExactlyThePreparedRulesOnce()
    {
        var emitter = new RecordingEmitter(new EmitterOptions { Families = AddressFamilies.IPv4, MaxPrefixesPerRule = 10 });

        Agents.Render(emitter);

        RuleSet expected = ExpectedRules.For(Agents, emitter.Options);
        Assert.That(emitter.Received, Has.Count.EqualTo(1));
        PreparedRules received = emitter.Received[0];
        Assert.That(received.Families, Is.EqualTo(AddressFamilies.IPv4));
        Assert.That(received.Rules.Rules.Select(r => r.Prefixes), Is.EqualTo(expected.Rules.Select(r => r.Prefixes)));
        Assert.That(received.Rules.Prefixes.IPv6.IsEmpty, Is.True);
        Assert.That(received.Rules.Rules.Max(r => r.Prefixes.Count), Is.LessThanOrEqualTo(10));
        Assert.That(received.Rules.ExtraIPv4Addresses, Is.EqualTo(expected.ExtraIPv4Addresses).And.GreaterThan(UInt128.Zero));
    }

    [Test]
    public void Render_ToATextWriter_ReturnsTheRulesTheOutputHolds()
    {
        var emitter = new RecordingEmitter(new EmitterOptions { MaxPrefixesPerRule = 12 });
        using var output = new StringWriter();

        RuleSet rendered = Agents.Render(emitter, output);

        Assert.That(rendered, Is.SameAs(emitter.Received.Single().Rules));
        Assert.That(output.ToString(), Is.EqualTo($"{rendered.Prefixes.Count} prefixes\n"));
        Assert.That(rendered.ExtraIPv4Addresses, Is.GreaterThan(UInt128.Zero), "the budget's cost is reported on the returned rules");
    }

    [TestCase("rules")]
    [TestCase("emitter")]
    [TestCase("output")]
    public void Render_NullArgument_IsRefusedByNameBeforeTheEmitterRuns(string nullArgument)
    {
        var emitter = new RecordingEmitter(new EmitterOptions());
        using var output = new StringWriter();

        var ex = Assert.Throws<ArgumentNullException>(() => RuleSetRendering.Render(
            nullArgument == "rules" ? null! : Agents, nullArgument == "emitter" ? null! : emitter, nullArgument == "output" ? null! : output));

        Assert.That(ex!.ParamName, Is.EqualTo(nullArgument));
        Assert.That(emitter.Received, Is.Empty);
    }

    [Test]
    public void Render_FormatHoldsOneFamily_NarrowsToItWithoutBeingAsked()
    {
        var emitter = new RecordingEmitter(new EmitterOptions(), AddressFamilies.IPv6);

        RuleSet rendered = RuleSet.For(Section.Logs).Render(emitter, TextWriter.Null);

        Assert.That(emitter.Received.Single().Families, Is.EqualTo(AddressFamilies.IPv6));
        Assert.That(rendered.Prefixes.IPv4.IsEmpty, Is.True);
        Assert.That(rendered.Prefixes.IPv6.IsEmpty, Is.False);
    }

    [Test]
    public void Render_OptionsAskOnlyForAFamilyTheFormatLacks_IsRefusedBeforeTheEmitterRuns()
    {
        var emitter = new RecordingEmitter(new EmitterOptions { Families = AddressFamilies.IPv6 }, AddressFamilies.IPv4);
        using var output = new StringWriter();

        Assert.That(() => RuleSet.For(Section.Logs).Render(emitter, output),
            Throws.TypeOf<RuleGenerationException>().With.Message.EqualTo("recording renders IPv4 only, but the options ask for IPv6 only"));
        Assert.That(emitter.Received, Is.Empty);
        Assert.That(output.ToString(), Is.Empty);
    }

    [Test]
    public void Render_NoPrefixOfTheFamilyAsked_IsRefusedBeforeTheEmitterRuns()
    {
        var emitter = new RecordingEmitter(new EmitterOptions { Families = AddressFamilies.IPv6 });

        Assert.That(() => RuleSet.For(Version(52), Section.Webhooks).Render(emitter),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("webhooks list no IPv6 prefixes"));
        Assert.That(emitter.Received, Is.Empty);
    }

    private static IpRangesDocument Version(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    /// <summary>Records what the render step hands it and writes the prefix count.</summary>
    private sealed class RecordingEmitter(EmitterOptions options, AddressFamilies families = AddressFamilies.Both) : IRuleEmitter
    {
        public List<PreparedRules> Received { get; } = [];

        public string Format => "recording";

        public string Description => "records what it receives, for tests";

        public AddressFamilies Families => families;

        public EmitterOptions Options => options;

        public void Write(PreparedRules rules, TextWriter output)
        {
            Received.Add(rules);
            output.Write($"{rules.Rules.Prefixes.Count} prefixes\n");
        }
    }
}
