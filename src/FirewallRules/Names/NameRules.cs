using System.Buffers;

namespace FirewallRules.Names;

/// <summary>
/// What a name may hold, decided in one place: names reach scripts, restore files and templates unquoted in
/// places, so only plain characters get in, and every message about a refused name describes the rule the same way.
/// </summary>
/// <remarks>
/// Two rules: a <em>plain name</em> for what the outputs create (the name prefix, tables, chains), and a <em>key</em>
/// for what names data (section names and location keys from the feed, the sources of a rule).
/// </remarks>
internal static class NameRules
{
    /// <summary>The longest key.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>The key rule in words, for messages.</summary>
    public const string KeyRule = "1 to 64 letters, digits and - _ . :";

    private static readonly SearchValues<char> KeyCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");

    /// <summary>Whether <paramref name="name"/> is 1 to <paramref name="maxLength"/> characters: an ASCII letter, then ASCII letters, digits, <c>-</c> or <c>_</c>.</summary>
    public static bool IsPlainName(string? name, int maxLength) =>
        name is { Length: > 0 } && name.Length <= maxLength && char.IsAsciiLetter(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The plain-name rule in words, for messages, e.g. <c>1 to 20 characters, a letter first, then letters, digits, - or _</c>.</summary>
    public static string PlainNameRule(int maxLength) => $"1 to {maxLength} characters, a letter first, then letters, digits, - or _";

    /// <summary><paramref name="value"/> when it is a plain name of at most <paramref name="maxLength"/> characters.</summary>
    /// <param name="value">The name.</param>
    /// <param name="what">What it names, for the message: <c>name</c>, <c>chain</c>, <c>table</c>.</param>
    /// <param name="maxLength">The most characters the target allows.</param>
    /// <param name="parameter">The parameter or property the value came from.</param>
    /// <exception cref="ArgumentException">It is not, e.g. <c>chain 'a b' is not allowed: use 1 to 28 characters, ...</c>.</exception>
    public static string RequirePlainName(string value, string what, int maxLength, string parameter) =>
        IsPlainName(value, maxLength)
            ? value
            : throw new ArgumentException($"{what} '{value}' is not allowed: use {PlainNameRule(maxLength)}", parameter);

    /// <summary>
    /// Whether <paramref name="host"/> is a DNS host name: labels of 1 to 63 ASCII letters, digits and <c>-</c> (not first
    /// or last), at most 253 characters with no final dot, and not an IPv4 address (its last label has a letter or <c>-</c>).
    /// </summary>
    public static bool IsHostName(string host) =>
        host.Length is > 0 and <= 253
        && host.Split('.').All(label => label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        && !host.Split('.')[^1].All(char.IsAsciiDigit);

    /// <summary>Whether <paramref name="host"/> is a DNS host name (<see cref="IsHostName"/>), a trailing dot allowed: how hosts reached by name are checked.</summary>
    public static bool IsDnsName(string host) => IsHostName(host.TrimEnd('.'));

    /// <summary>
    /// Whether <paramref name="text"/> is an RFC 1123 label as Kubernetes takes it (a namespace, a part of an object's name): 1 to 63 lowercase
    /// letters, digits and <c>-</c>, a letter or digit at both ends.
    /// </summary>
    public static bool IsDnsLabel(string? text) =>
        text is { Length: > 0 and <= 63 } && IsLowerAlphanumeric(text[0]) && IsLowerAlphanumeric(text[^1]) && text.All(c => IsLowerAlphanumeric(c) || c == '-');

    /// <summary>The label rule in words, for messages.</summary>
    public const string DnsLabelRule = "1 to 63 lowercase letters, digits and -, starting and ending with a letter or digit";

    /// <summary>Whether <paramref name="key"/> is 1 to 64 ASCII letters, digits, <c>-</c>, <c>_</c>, <c>.</c> or <c>:</c>.</summary>
    public static bool IsKey(ReadOnlySpan<char> key) =>
        key.Length is > 0 and <= MaxKeyLength && !key.ContainsAnyExcept(KeyCharacters);

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
