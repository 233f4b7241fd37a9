using System.Globalization;
using Amazon.EC2;

namespace FirewallRules.Aws;

/// <summary>
/// What tells the grace record in a security group's owned rules (<see cref="RuleGraceRecord"/>, with <c>--cidr-rules</c>) from one someone
/// added to or edited: a tag on the group, <c>fwrules:rules:NAME</c> = <c>SECONDS HASH</c>, written by the run after it wrote the rules'
/// descriptions, from the group read again: when it was written (Unix seconds) and the start of the SHA-256 of that time, the name, the
/// group's id and every rule the name owns in it (direction, protocol, ports, target and whole description, its <c>@SECONDS</c> included).
/// </summary>
/// <remarks>
/// <para>While the seal matches, the owned rules are the last run's: their times are read (none past the seal's), and a rule of a CIDR
/// without a time was published by the last run (a runner whose document is newer). When it does not match, or is absent, the record is no
/// evidence: no description's time is read, and a retired CIDR is kept only while this runner's own state keeps it (a rule added by hand, or
/// whose time was edited, counts as expired). A whole seal of the name also lets a sync without <c>--group-id</c> adopt the group.</para>
/// <para>The seal catches an edit, not a forger: no secret is in it, so whoever recomputes it after their edit has it read as whole.</para>
/// </remarks>
internal static class GroupSeal
{
    /// <summary>AWS's longest tag key.</summary>
    private const int MaxKey = 128;

    private const string KeyPrefix = "fwrules:rules:";

    /// <summary>The key of the seal of <paramref name="name"/>: <c>fwrules:rules:NAME</c>, or the start of the name's SHA-256 for a name too long for a key.</summary>
    public static string Key(string name) =>
        KeyPrefix.Length + name.Length <= MaxKey ? KeyPrefix + name : KeyPrefix + "#" + GraceRecordSeal.Hash([name]);

    /// <summary>The seal's value for <paramref name="group"/> at <paramref name="now"/>.</summary>
    public static string Value(GroupState group, string name, DateTimeOffset now) => Value(group.GroupId, group.Rules, name, now);

    /// <summary>
    /// When the seal of <paramref name="name"/> on <paramref name="group"/> was written, when it reads and matches the group's owned rules; else null
    /// (none, edited, or the rules changed since).
    /// </summary>
    public static DateTimeOffset? Whole(GroupState group, string name) => Whole(group.GroupId, group.Tags, group.Rules, name);

    /// <summary>As <see cref="Whole(GroupState, string)"/>, for a group's id, tags and rules.</summary>
    public static DateTimeOffset? Whole(string groupId, IReadOnlyDictionary<string, string>? tags, IEnumerable<ExistingRule> rules, string name)
    {
        if (tags?.GetValueOrDefault(Key(name)) is not { } value || value.Split(' ') is not [string seconds, _] || GraceRecord.Time(seconds) is not { } time)
        {
            return null;
        }

        return Value(groupId, rules, name, time) == value ? time : null;
    }

    /// <summary>
    /// Seals every group of <paramref name="groups"/> (read again after the record was written) at <paramref name="now"/>; a group whose seal
    /// already says so is left as it is.
    /// </summary>
    public static async Task WriteAsync(IAmazonEC2 ec2, IReadOnlyList<GroupState> groups, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (GroupState group in groups)
        {
            string value = Value(group, name, now);
            if (group.Tags?.GetValueOrDefault(Key(name)) != value)
            {
                await AwsCall.ChangeAsync($"tag security group {group.GroupId} with the seal of its rules' grace record",
                    token => ec2.CreateTagsAsync(new() { Resources = [group.GroupId], Tags = [new(Key(name), value)] }, token), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Value(string groupId, IEnumerable<ExistingRule> rules, string name, DateTimeOffset now)
    {
        string time = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string[] owned = [.. rules.Where(r => r.Owned).Select(Line).Order(StringComparer.Ordinal)];
        return $"{time} {GraceRecordSeal.Hash([time, name, groupId, .. owned])}";
    }

    private static string Line(ExistingRule rule) => string.Create(CultureInfo.InvariantCulture,
        $"{(rule.Rule.Egress ? "egress" : "ingress")} {rule.Rule.Protocol} {rule.Rule.FromPort} {rule.Rule.ToPort} {rule.Rule.Target} {rule.Description}");
}
