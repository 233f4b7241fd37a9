using System.Globalization;

namespace FirewallRules.Intakes;

/// <summary>
/// An Agent version as a user writes it (<c>--agent-version</c>, a Helm image tag), read one way for <c>plan</c>, <c>generate</c>,
/// <c>sync</c> and <c>verify</c>: one to three numbers (<c>7</c>, <c>7.64</c>, <c>7.64.2</c>), an image tag's suffix dropped
/// (<c>7.64.2-jmx</c>), or <c>latest</c> (<c>latest-jmx</c>).
/// </summary>
internal static class AgentVersions
{
    /// <summary>The newest Agent this library knows: the one the Helm chart 3.240.0 ships (its <c>agents.image.tag</c>).</summary>
    public const string NewestText = "7.81.1";

    /// <summary><see cref="NewestText"/> as a version.</summary>
    public static Version Newest { get; } = Version.Parse(NewestText);

    /// <summary>The last Agent 6, which a floating 6 runs.</summary>
    public static Version LastAgent6 { get; } = new(6, 55, 1);

    /// <summary>
    /// The version <paramref name="text"/> names; null when it is not one to three numbers of at most five digits, none with a
    /// leading zero, then at most a suffix of one or more letters, digits, dots and hyphens after one <c>-</c> or <c>+</c> (as
    /// <c>--agent-version</c> takes it). A floating
    /// version (<c>latest</c>, or the major alone) runs whatever release is newest: the newest this library knows for 7, and for
    /// 6 the last Agent 6, 6.55.1, as the chart reads a tag of 6 (get-agent-version, _helpers.tpl). The major is not checked.
    /// </summary>
    /// <param name="text">The version as written.</param>
    /// <param name="exact">Whether it names a release (three numbers), not a floating tag.</param>
    public static Version? Read(string text, out bool exact)
    {
        exact = false;
        string trimmed = text.Trim();
        int suffix = trimmed.IndexOfAny(['-', '+']);
        string core = suffix < 0 ? trimmed : trimmed[..suffix];
        if (suffix >= 0 && (suffix == trimmed.Length - 1 || !trimmed[(suffix + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
        {
            return null;
        }

        if (core.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return Newest;
        }

        string[] parts = core.Split('.');
        // No leading zero (07, 7.080): semantic versions, which the chart compares tags as, have none.
        if (parts.Length is < 1 or > 3 || parts.Any(p => p.Length is 0 or > 5 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0')))
        {
            return null;
        }

        int[] numbers = [.. parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)), 0, 0];
        exact = parts.Length == 3;
        return parts.Length > 1 ? new Version(numbers[0], numbers[1], numbers[2])
            : numbers[0] == Newest.Major ? Newest
            : numbers[0] == 6 ? LastAgent6
            : new Version(numbers[0], 0, 0);
    }

    /// <summary>Whether <paramref name="version"/> is an Agent 6 or 7, whose configuration and host names this library reads.</summary>
    public static bool IsRead(Version version) => version.Major is 6 or 7;

    /// <summary>The version as the Agent writes it in its versioned host names (7.60.0 becomes 7-60-0).</summary>
    public static string Label(Version version) =>
        string.Create(CultureInfo.InvariantCulture, $"{version.Major}-{Math.Max(version.Minor, 0)}-{Math.Max(version.Build, 0)}");
}
