namespace FirewallRules.AgentConfig;

/// <summary>The notes a plan gathers while it is made, in order: each with its kind (<see cref="AgentNote"/>).</summary>
internal sealed class PlanNotes
{
    private readonly List<AgentNote> _notes = [];

    /// <summary>Adds a note no program acts on (<see cref="AgentNoteKind.General"/>).</summary>
    public void Add(string text) => _notes.Add(new AgentNote(AgentNoteKind.General, text));

    /// <summary>Adds a note of <paramref name="kind"/>.</summary>
    public void Add(AgentNoteKind kind, string text) => _notes.Add(new AgentNote(kind, text));

    /// <summary>Whether a note names <paramref name="key"/> already.</summary>
    public bool Names(string key) => _notes.Any(n => n.Text.Contains(key, StringComparison.Ordinal));

    /// <summary>The notes so far.</summary>
    public IReadOnlyList<AgentNote> ToList() => [.. _notes];
}
