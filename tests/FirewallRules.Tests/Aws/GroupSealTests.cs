using System.Globalization;
using FirewallRules.Aws;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The seal of a group's owned rules with <c>--cidr-rules</c> (<c>fwrules:rules:NAME</c>): whole only for the rules, the group and the name
/// it was written for; a seal deleted, its time moved, copied to another group, or a rule added or its time edited since, is none.
/// </summary>
[TestFixture]
[Category("Aws")]
public sealed class GroupSealTests
{
    private static readonly DateTimeOffset Sealed = DateTimeOffset.FromUnixTimeSeconds(1764072000);

    private static readonly ExistingRule Kept = new("sgr-1", new AwsSecurityGroupRule(true, "tcp", 443, 443, "20.0.0.2/32"), true, "fwrules:datadog logs @1764070000");

    private static readonly ExistingRule Theirs = new("sgr-2", new AwsSecurityGroupRule(false, "tcp", 22, 22, "198.51.100.0/24"), false, "ssh");

    [Test]
    public void Whole_TheRulesItWasWrittenFor_GivesItsTime_AndARuleNotTheNamesChangesNothing()
    {
        var group = new GroupState("sg-1", null, [Kept]);
        var tags = new Dictionary<string, string> { [GroupSeal.Key("datadog")] = GroupSeal.Value(group, "datadog", Sealed) };

        Assert.That(GroupSeal.Whole(group with { Tags = tags }, "datadog"), Is.EqualTo(Sealed));
        Assert.That(GroupSeal.Whole(group with { Rules = [Kept, Theirs], Tags = tags }, "datadog"), Is.EqualTo(Sealed));
        Assert.That(GroupSeal.Key("datadog"), Is.EqualTo("fwrules:rules:datadog"));
        Assert.That(GroupSeal.Key(new string('n', 200)), Has.Length.LessThanOrEqualTo(128), "a key longer than AWS takes");
        Assert.That(tags.Values.Single(), Has.Length.LessThanOrEqualTo(256));
    }

    [Test]
    public void Whole_SealDeletedMovedCopiedOrRulesChanged_IsNone()
    {
        var group = new GroupState("sg-1", null, [Kept]);
        string key = GroupSeal.Key("datadog"), value = GroupSeal.Value(group, "datadog", Sealed);
        string moved = string.Create(CultureInfo.InvariantCulture, $"{Sealed.ToUnixTimeSeconds() + 86400}{value[value.IndexOf(' ', StringComparison.Ordinal)..]}");
        ExistingRule edited = Kept with { Description = "fwrules:datadog logs @1764079999" };
        ExistingRule added = new("sgr-3", new AwsSecurityGroupRule(true, "tcp", 443, 443, "8.8.8.0/24"), true, "fwrules:datadog logs");

        Assert.That(GroupSeal.Whole(group, "datadog"), Is.Null, "no tags");
        Assert.That(GroupSeal.Whole(group with { Tags = new Dictionary<string, string>() }, "datadog"), Is.Null, "deleted");
        Assert.That(GroupSeal.Whole(group with { Tags = new Dictionary<string, string> { [key] = moved } }, "datadog"), Is.Null, "its time moved later");
        Assert.That(GroupSeal.Whole(new GroupState("sg-2", null, [Kept], new Dictionary<string, string> { [key] = value }), "datadog"), Is.Null, "copied");
        Assert.That(GroupSeal.Whole(new GroupState("sg-1", null, [edited], new Dictionary<string, string> { [key] = value }), "datadog"), Is.Null, "a time edited");
        Assert.That(GroupSeal.Whole(new GroupState("sg-1", null, [Kept, added], new Dictionary<string, string> { [key] = value }), "datadog"), Is.Null, "a rule added");
        Assert.That(GroupSeal.Whole(group with { Tags = new Dictionary<string, string> { [GroupSeal.Key("other")] = value } }, "other"), Is.Null, "another name");
    }
}
