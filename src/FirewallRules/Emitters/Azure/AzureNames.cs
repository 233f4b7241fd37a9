namespace FirewallRules.Emitters.Azure;

/// <summary>Azure's naming rules for what the NSG formats name, checked before anything is written.</summary>
internal static class AzureNames
{
    /// <summary>What <see cref="IsValidResourceGroup"/> accepts, in words.</summary>
    public const string ResourceGroupRule = "1 to 90 letters, digits, _ ( ) - or ., not ending with a period";

    /// <summary>What <see cref="IsValidNetworkSecurityGroup"/> accepts, in words.</summary>
    public const string NetworkSecurityGroupRule = "1 to 80 letters, digits, _ . or -, starting with a letter or digit and ending with one or _";

    /// <summary>
    /// A security rule name: 1 to 80 characters, word characters, <c>.</c> and <c>-</c>, starting with a word
    /// character and ending with one (word characters include <c>_</c>). ASCII only here.
    /// </summary>
    public static bool IsValidRule(string name) =>
        name.Length is > 0 and <= 80 && IsWord(name[0]) && IsWord(name[^1]) && name.All(c => IsWord(c) || c is '.' or '-');

    /// <summary>An NSG name: as a rule name, but starting with a letter or digit.</summary>
    public static bool IsValidNetworkSecurityGroup(string name) => IsValidRule(name) && char.IsAsciiLetterOrDigit(name[0]);

    /// <summary>A resource group name: 1 to 90 letters, digits and <c>_ ( ) - .</c>, not ending with a period. ASCII only here.</summary>
    public static bool IsValidResourceGroup(string name) =>
        name.Length is > 0 and <= 90 && name[^1] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '(' or ')' or '-' or '.');

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
