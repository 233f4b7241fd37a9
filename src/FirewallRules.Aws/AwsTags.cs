namespace FirewallRules.Aws;

/// <summary>The tags that mark what fwrules owns in an account: only resources carrying them are changed or deleted.</summary>
internal static class AwsTags
{
    /// <summary>Always <see cref="ManagedByValue"/>.</summary>
    public const string ManagedBy = "fwrules:managed-by";

    public const string ManagedByValue = "fwrules";

    /// <summary>The sync's <c>--name</c>.</summary>
    public const string Name = "fwrules:name";

    /// <summary>ipv4 or ipv6.</summary>
    public const string Family = "fwrules:family";

    /// <summary>The list's number within its family, from 1.</summary>
    public const string Part = "fwrules:part";

    /// <summary>
    /// The sync format that keeps the list (<c>aws-prefix-list</c> or <c>aws-sg</c>): a sync of the other format under the
    /// same name is refused before any change (each would replace the other's entries on every run).
    /// </summary>
    public const string Format = "fwrules:format";

    /// <summary>The ip-ranges document version the entries come from.</summary>
    public const string DocumentVersion = "fwrules:document-version";

    /// <summary>When the entries of the lists were last seen published (Unix seconds): the time of the last run that wrote them.</summary>
    public const string Seen = "fwrules:seen";

    /// <summary>The ids of the family's lists fwrules made, on the first list, sealed with the grace record (<see cref="GraceRecordSeal"/>).</summary>
    public const string Lists = "fwrules:lists";

    /// <summary>
    /// The version of each list <see cref="Lists"/> names when the grace record was written (<c>pl-0a1b@7 pl-2c3d@4</c>): AWS keeps a
    /// list's past versions, so a runner can read what the record's seal of entries covered after another runner changed the lists.
    /// </summary>
    public const string Held = "fwrules:held";

    /// <summary>The shared grace record's tags are this and a number from 1 (<see cref="GraceRecord"/>).</summary>
    public const string GracePrefix = "fwrules:grace-";
}
