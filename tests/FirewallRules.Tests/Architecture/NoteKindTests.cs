using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// A command decides what to do with a plan's note by its kind (<c>AgentNoteKind</c>), never by its wording: no source
/// outside the planner matches a note's text.
/// </summary>
[TestFixture]
public partial class NoteKindTests
{
    [Test]
    public void Sources_NeverMatchANotesText()
    {
        string[] matches = [.. SourceCode.Files()
            .Where(file => !file.Contains("/AgentConfig/", StringComparison.Ordinal))
            .SelectMany(file => TextMatches(SourceCode.WithoutComments(SourceCode.Read(file))).Select(match => $"{file}: {match}"))];

        Assert.That(matches, Is.Empty);
    }

    [Test]
    public void TextMatches_FindsEachWayOfMatchingAWording()
    {
        // Guards the scan above against a pattern that silently finds nothing: the ways the commands matched notes before kinds.
        const string Code = """
            plan.Notes.Where(n => n.StartsWith(PlanRules.ClusterNoteMark, StringComparison.Ordinal));
            plan.Notes.Contains(PlanRules.ClusterAgentNote);
            plan.Notes.Any(n => n.Text.Contains("proxy", StringComparison.Ordinal));
            notes.Where(note => note.Text.EndsWith("."));
            """;

        Assert.That(TextMatches(Code), Has.Length.EqualTo(4));
        Assert.That(TextMatches("plan.Notes.Where(n => n.Kind == AgentNoteKind.Proxy).Select(n => n.Text);"), Is.Empty);
    }

    private static string[] TextMatches(string code) => [.. TextMatch().Matches(code).Select(m => m.Value)];

    [GeneratedRegex(@"Notes\.Contains\(|Notes\.[A-Za-z]+\(\s*\w+\s*=>\s*\w+\.(Text\.)?(StartsWith|EndsWith|Contains)\(|\bnote\.Text\.(StartsWith|EndsWith|Contains)\(")]
    private static partial Regex TextMatch();
}
