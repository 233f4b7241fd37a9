namespace FirewallRules.Emitters.Gcp;

/// <summary>Google Cloud's naming rules (RFC 1035, as the Compute API states them), checked before anything is written.</summary>
internal static class GcpNames
{
    /// <summary>The rule in words, for messages.</summary>
    public const string Rule = "use 1 to 63 lowercase letters, digits and -, starting with a letter and not ending with -";

    /// <summary>A resource name, network tag or firewall rule name: <c>[a-z]([-a-z0-9]*[a-z0-9])?</c>, 1 to 63 characters.</summary>
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= 63 } && char.IsAsciiLetterLower(name[0]) && name[^1] != '-'
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>A service account e-mail address: a name, <c>@</c>, and a domain, in lowercase letters, digits, <c>-</c> and <c>.</c>.</summary>
    public static bool IsServiceAccount(string? email) =>
        email is { Length: > 3 and <= 254 } && email.Split('@') is [{ Length: > 0 } user, { Length: > 0 } domain]
        && user.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_')
        && domain.Contains('.', StringComparison.Ordinal) && domain.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
}
