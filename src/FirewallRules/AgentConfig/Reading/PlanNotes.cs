namespace FirewallRules.AgentConfig;

/// <summary>The notes a plan gathers while it is made, in order: each with its kind (<see cref="AgentNote"/>).</summary>
internal sealed class PlanNotes
{
    private readonly List<AgentNote> _notes = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary>Adds a note no program acts on (<see cref="AgentNoteKind.General"/>).</summary>
    public void Add(string text) => _notes.Add(new AgentNote(AgentNoteKind.General, text));

    /// <summary>Adds a note of <paramref name="kind"/>; <paramref name="about"/>: the key whose value it explains, which no other note then repeats.</summary>
    public void Add(AgentNoteKind kind, string text, string? about = null)
    {
        _notes.Add(new AgentNote(kind, text));
        if (about is not null)
        {
            _keys.Add(about);
        }
    }

    /// <summary>Adds the notes of <paramref name="other"/>, in their order.</summary>
    public void AddAll(PlanNotes other)
    {
        _notes.AddRange(other._notes);
        _keys.UnionWith(other._keys);
    }

    /// <summary>Whether a note explains <paramref name="key"/>'s value already (given as its <c>about</c>, never found in its text).</summary>
    public bool Explains(string key) => _keys.Contains(key);

    /// <summary>The notes so far.</summary>
    public IReadOnlyList<AgentNote> ToList() => [.. _notes];
}
