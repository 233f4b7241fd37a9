namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Text AWS accepts in rule, prefix list and group descriptions: what the AWS formats write, and what
/// <c>FirewallRules.Aws</c> writes into an account, so a description is made the same way by both.
/// </summary>
public static class AwsText
{
    private const int MaxDescriptionLength = 255;

    /// <summary>
    /// The text restricted to what EC2 allows in descriptions (letters, digits, spaces and <c>._-:/()#,@[]+=;{}!$*</c>;
    /// anything else becomes <c>_</c>) and cut to 255 characters.
    /// </summary>
    /// <param name="text">Any text, such as a rule's name and the document's version.</param>
    /// <returns>The text EC2 accepts as a description.</returns>
    public static string Description(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string allowed = string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || " ._-:/()#,@[]+=;{}!$*".Contains(c, StringComparison.Ordinal) ? c : '_';
            }
        });
        return allowed.Length <= MaxDescriptionLength ? allowed : allowed[..MaxDescriptionLength];
    }
}
