namespace FirewallRules.Emitters.Kubernetes;

/// <summary>Kubernetes' rules for object names, namespaces and labels, checked before anything is written.</summary>
internal static class KubernetesNames
{
    private const int MaxLabelPart = 63;
    private const int MaxSubdomain = 253;

    /// <summary>An RFC 1123 label (a namespace, a name part): 1 to 63 lowercase letters, digits and <c>-</c>, alphanumeric at both ends.</summary>
    public static bool IsDnsLabel(string? text) =>
        text is { Length: > 0 and <= MaxLabelPart } && IsLowerAlphanumeric(text[0]) && IsLowerAlphanumeric(text[^1])
        && text.All(c => IsLowerAlphanumeric(c) || c == '-');

    /// <summary>An RFC 1123 subdomain (an object name): dot-separated labels, at most 253 characters.</summary>
    public static bool IsDnsSubdomain(string? text) =>
        text is { Length: > 0 and <= MaxSubdomain } && text.Split('.').All(IsDnsLabel);

    /// <summary>A label key: an optional DNS subdomain prefix and <c>/</c>, then a name of 1 to 63 letters, digits, <c>-_.</c>, alphanumeric at both ends.</summary>
    public static bool IsLabelKey(string? key)
    {
        if (key is null)
        {
            return false;
        }

        int slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? IsLabelName(key) : IsDnsSubdomain(key[..slash]) && IsLabelName(key[(slash + 1)..]);
    }

    /// <summary>A label value: empty, or 1 to 63 letters, digits and <c>-_.</c>, alphanumeric at both ends.</summary>
    public static bool IsLabelValue(string? value) => value is not null && (value.Length == 0 || IsLabelName(value));

    private static bool IsLabelName(string name) =>
        name.Length is > 0 and <= MaxLabelPart && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
