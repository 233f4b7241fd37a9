namespace FirewallRules.Emitters.Azure;

/// <summary>ARM template strings: a string that starts with <c>[</c> and ends with <c>]</c> is evaluated as an expression.</summary>
internal static class ArmString
{
    /// <summary>
    /// The text as a literal ARM string: one that would read as an expression gets a second opening bracket
    /// (<c>[[...]</c>), which ARM removes. Other strings, including those starting with <c>[</c> but not ending
    /// with <c>]</c>, are literal already and must not be changed (ARM's "Escape characters" rule).
    /// </summary>
    public static string Literal(string text) =>
        text.StartsWith('[') && text.EndsWith(']') ? "[" + text : text;
}
