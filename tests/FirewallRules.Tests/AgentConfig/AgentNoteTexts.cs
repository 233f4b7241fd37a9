using FirewallRules.AgentConfig;

namespace FirewallRules.Tests;

/// <summary>The texts of a plan's notes, for the tests that hold their wording.</summary>
internal static class AgentNoteTexts
{
    public static string[] Texts(this IReadOnlyList<AgentNote> notes) => [.. notes.Select(n => n.Text)];
}
