namespace FirewallRules.Sync;

/// <summary>
/// The verb that agrees with a backend's <see cref="IFirewallBackend.Target"/>: <c>table inet datadog holds</c>, but
/// <c>the datadog-* sets and chains of table inet filter hold</c> (a target that starts with "the " names several objects).
/// </summary>
internal static class TargetWording
{
    /// <summary><c>holds</c> or <c>hold</c>.</summary>
    public static string Holds(string target) => Plural(target) ? "hold" : "holds";

    /// <summary><c>is</c> or <c>are</c>.</summary>
    public static string Is(string target) => Plural(target) ? "are" : "is";

    /// <summary><c>it</c> or <c>they</c>.</summary>
    public static string It(string target) => Plural(target) ? "they" : "it";

    private static bool Plural(string target) => target.StartsWith("the ", StringComparison.Ordinal);
}
