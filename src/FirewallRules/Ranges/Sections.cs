using System.Diagnostics.CodeAnalysis;

namespace FirewallRules.Ranges;

/// <summary>The document keys of <see cref="Section"/> members, and the reverse lookup.</summary>
public static class Sections
{
    private static readonly string[] Names =
    [
        "agents", "api", "apm", "logs", "process", "orchestrator", "remote-configuration", "global",
        "webhooks", "synthetics", "synthetics-private-locations",
    ];

    /// <summary>Every known section, in declaration order.</summary>
    public static IReadOnlyList<Section> All { get; } = Enum.GetValues<Section>();

    /// <summary>The key the document uses for <paramref name="section"/>, e.g. <c>remote-configuration</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="section"/> is not a defined member.</exception>
    public static string GetName(Section section) =>
        (uint)section < (uint)Names.Length ? Names[(int)section] : throw new ArgumentOutOfRangeException(nameof(section), section, "Not a known section.");

    /// <summary>Finds the known section for a document key (case-insensitive; <c>_</c> and <c>-</c> are interchangeable).</summary>
    public static bool TryParse(string? name, out Section section)
    {
        string? key = Normalize(name);
        int index = Array.IndexOf(Names, key);
        section = index < 0 ? default : (Section)index;
        return index >= 0;
    }

    /// <summary>The canonical document key for <paramref name="name"/>: lower case, <c>-</c> for <c>_</c>.</summary>
    [return: NotNullIfNotNull(nameof(name))]
    internal static string? Normalize(string? name) => name?.Trim().ToLowerInvariant().Replace('_', '-');
}
