using FirewallRules.Names;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>Kubernetes' rules for object names, namespaces and labels, checked before anything is written.</summary>
internal static class KubernetesNames
{
    private const int MaxLabelPart = 63;
    private const int MaxSubdomain = 253;

    /// <summary>An RFC 1123 subdomain (an object name): dot-separated labels (<see cref="NameRules.IsDnsLabel"/>), at most 253 characters.</summary>
    public static bool IsDnsSubdomain(string? text) =>
        text is { Length: > 0 and <= MaxSubdomain } && text.Split('.').All(NameRules.IsDnsLabel);

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
}
