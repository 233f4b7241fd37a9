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

    /// <summary>The ip-ranges document version the entries come from.</summary>
    public const string DocumentVersion = "fwrules:document-version";
}
