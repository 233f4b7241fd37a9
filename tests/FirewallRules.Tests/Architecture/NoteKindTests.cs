using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// A command decides what to do with a plan's note by its kind (<c>AgentNoteKind</c>), never by its wording. Outside the
/// library, a plan's notes are read in two files only: <c>AgentPlanChoices</c>, which selects them by kind, and
/// <c>AgentPlanText</c>, which shows them whole; anywhere else the list may only be passed along unchanged.
/// </summary>
[TestFixture]
public partial class NoteKindTests
{
    private static readonly string[] Readers = ["AgentPlanChoices.cs", "AgentPlanText.cs"];

    [Test]
    public void CommandSources_ReadNotesOnlyByKindOrToShowThem()
    {
        string[] files = [.. SourceCode.Files().Where(file => !file.StartsWith("src/FirewallRules/", StringComparison.Ordinal))];
        string[] uses = [.. files.Where(file => !Readers.Contains(Path.GetFileName(file)))
            .SelectMany(file => NoteReads(SourceCode.WithoutComments(SourceCode.Read(file))).Select(use => $"{file}: {use}"))];

        Assert.That(files, Has.Some.EndsWith("/Commands/Common/AgentPlanChoices.cs").And.Some.EndsWith("/Commands/Plan/AgentPlanText.cs"));
        Assert.That(uses, Is.Empty);
    }

    [Test]
    public void NoteReads_FindsEveryReadButPassingTheListAlong()
    {
        // Guards the scan above against a pattern that silently finds nothing: the ways notes were and could be matched by wording.
        const string Code = """
            plan.Notes.Where(n => n.StartsWith(PlanRules.ClusterNoteMark, StringComparison.Ordinal));
            plan.Notes.Contains(PlanRules.ClusterAgentNote);
            int more = plan.Notes.Count(note => !shown.Any(line => line.Contains(note.Text, StringComparison.Ordinal)));
            foreach (AgentNote line in chosen.Notes) { }
            string.Join("\n", plan.Notes).Contains("proxy");
            plan.Notes[0].Text.StartsWith("The agent");
            """;

        Assert.That(NoteReads(Code), Has.Length.EqualTo(6));
        Assert.That(NoteReads("return new AgentPlan(plan.Site, plan.AgentVersion, plan.IsKubernetes, destinations, listeners, plan.Notes);"), Is.Empty);
    }

    private static string[] NoteReads(string code) => [.. NoteRead().Matches(code).Select(m => m.Value)];

    // Any use of a Notes property but as the last argument of a call that ends the statement (the list passed along unchanged);
    // AgentPlanChoices.Notes(plan, kind) is the method that selects by kind.
    [GeneratedRegex(@"\.Notes\b(?!\s*\(|\s*\)\s*;)[^;\n]*")]
    private static partial Regex NoteRead();
}
