using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What a YAML text may hold before it is loaded: nesting at most <see cref="MaxDepth"/> deep and at most
/// <see cref="MaxNodes"/> nodes once every alias is expanded (a billion-laughs file is a few hundred bytes), no alias to
/// the node that holds it (<c>a: &amp;a {b: *a}</c>, which expands without end) and none to an anchor not yet written.
/// Checked on the parser's events, which need no recursion, so 50,000 nested brackets are refused without a deep stack.
/// A key set twice in one map is refused too, naming both lines: which of the two the agent reads depends on its YAML
/// library's version, so neither is guessed.
/// </summary>
internal static class YamlBounds
{
    /// <summary>The deepest nesting read, aliases expanded. The agent's own configuration nests a few levels.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most nodes read, aliases expanded (an agent's full template is about 2,000).</summary>
    public const int MaxNodes = 200_000;

    /// <exception cref="AgentConfigurationException">The text is not YAML, or goes past a bound.</exception>
    /// <param name="text">The YAML.</param>
    /// <param name="file">Its name, for messages.</param>
    /// <param name="lastKeyWins">A key set twice in one map is read as Agent 6's YAML library (yaml.v2) reads it, the last one winning,
    /// instead of refused.</param>
    public static void Check(string text, string file, bool lastKeyWins = false)
    {
        var parser = new Parser(new StringReader(text));
        var open = new List<Open>();
        var anchors = new Dictionary<string, (long Nodes, int Height)>(StringComparer.Ordinal);
        long nodes = 0;
        Mark where = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                ParsingEvent current = parser.Current!;
                where = current.Start;
                CheckKey(current, open, file, lastKeyWins);
                nodes += Visit(current, open, anchors, file);
                if (nodes > MaxNodes)
                {
                    throw Refuse(file, current.Start, $"expands to more than {MaxNodes} nodes (aliases repeat what they name): refused");
                }
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw Invalid(ex, file, where);
        }
    }

    /// <summary>A parser's failure as one line: where, and what, never the text (a secret may be on that line).</summary>
    public static AgentConfigurationException Invalid(Exception ex, string file, Mark where)
    {
        Mark at = ex is YamlException yaml && yaml.Start.Line > 0 ? yaml.Start : where;
        string problem = ex is YamlException ? Problem(ex.Message) : "a collection or scalar is not closed";
        return new AgentConfigurationException(new SettingOrigin(file, Math.Max(1, (int)at.Line)), null, $"not valid YAML ({problem}, column {at.Column})");
    }

    // The nodes an event adds, aliases expanded; the depth and recursion checks.
    private static long Visit(ParsingEvent current, List<Open> open, Dictionary<string, (long Nodes, int Height)> anchors, string file)
    {
        int depth = open.Count + 1;
        switch (current)
        {
            case NodeEvent node when node is MappingStart or SequenceStart:
                open.Add(new Open(node.Anchor.IsEmpty ? null : node.Anchor.Value, depth) { Keys = node is MappingStart ? new(StringComparer.Ordinal) : null });
                Deepen(open, depth, file, current.Start);
                return 1;
            case MappingEnd or SequenceEnd:
                Open closed = open[^1];
                open.RemoveAt(open.Count - 1);
                if (closed.Anchor is string name)
                {
                    anchors[name] = (closed.Nodes, closed.Deepest - closed.Depth + 1);
                }

                if (open.Count > 0)
                {
                    open[^1].Nodes += closed.Nodes;
                    open[^1].Deepest = Math.Max(open[^1].Deepest, closed.Deepest);
                }

                return 0;
            case Scalar scalar:
                Count(open, 1);
                Deepen(open, depth, file, current.Start);
                if (!scalar.Anchor.IsEmpty)
                {
                    anchors[scalar.Anchor.Value] = (1, 1);
                }

                return 1;
            case AnchorAlias alias:
                return Expand(alias, open, anchors, file, depth);
            default:
                return 0;
        }
    }

    // In a map, nodes alternate key and value: a scalar key seen before in the same map is refused, naming both lines.
    private static void CheckKey(ParsingEvent current, List<Open> open, string file, bool lastKeyWins)
    {
        if (current is not (NodeEvent or AnchorAlias) || open.Count == 0 || open[^1].Keys is not { } keys)
        {
            return;
        }

        bool atKey = open[^1].AtKey;
        open[^1].AtKey = !atKey;
        if (atKey && current is Scalar { Value: string name } && !keys.TryAdd(name, current.Start.Line) && !lastKeyWins)
        {
            // A key is shown only where a value could be (no URL credentials, nothing that looks like a key or token).
            string shown = ShownValue.For("name", name) is { } safe ? $"the key {safe}" : "a key";
            throw Refuse(file, current.Start, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{shown} is set twice in one map (first at line {keys[name]}): refused, as the agent's YAML library may read either; remove one"));
        }
    }

    private static long Expand(AnchorAlias alias, List<Open> open, Dictionary<string, (long Nodes, int Height)> anchors, string file, int depth)
    {
        string name = alias.Value.Value;
        if (open.Any(o => o.Anchor == name))
        {
            throw Refuse(file, alias.Start, "an alias names the node that holds it, which expands without end: refused");
        }

        if (!anchors.TryGetValue(name, out (long Nodes, int Height) anchor))
        {
            throw Refuse(file, alias.Start, "an alias names no anchor written before it");
        }

        Count(open, anchor.Nodes);
        Deepen(open, depth + anchor.Height - 1, file, alias.Start);
        return anchor.Nodes;
    }

    private static void Count(List<Open> open, long nodes)
    {
        if (open.Count > 0)
        {
            open[^1].Nodes += nodes;
        }
    }

    private static void Deepen(List<Open> open, int depth, string file, Mark at)
    {
        if (depth > MaxDepth)
        {
            throw Refuse(file, at, $"nests deeper than {MaxDepth} levels (aliases expanded): refused");
        }

        if (open.Count > 0)
        {
            open[^1].Deepest = Math.Max(open[^1].Deepest, depth);
        }
    }

    private static AgentConfigurationException Refuse(string file, Mark at, string problem) =>
        new(new SettingOrigin(file, Math.Max(1, (int)at.Line)), null, problem);

    // "While scanning a plain scalar, found ..." without the scalar itself.
    private static string Problem(string message)
    {
        int colon = message.IndexOf("):", StringComparison.Ordinal);
        string text = colon >= 0 ? message[(colon + 2)..].Trim() : message;
        int quote = text.IndexOfAny(['\'', '"', '`']);
        string shown = (quote > 0 ? text[..quote] : quote == 0 ? "unexpected text" : text).TrimEnd(' ', ',', '.').ToLowerInvariant();
        return IO.TerminalText.Escape(shown, 120);
    }

    /// <summary>A collection being read: its anchor, depth, nodes so far (its own included) and the deepest depth within.</summary>
    private sealed class Open(string? anchor, int depth)
    {
        public string? Anchor { get; } = anchor;

        public int Depth { get; } = depth;

        public long Nodes { get; set; } = 1;

        public int Deepest { get; set; } = depth;

        /// <summary>For a map: each key read so far and its line; null for a list.</summary>
        public Dictionary<string, long>? Keys { get; init; }

        /// <summary>For a map: whether the next node is a key (nodes alternate key and value).</summary>
        public bool AtKey { get; set; } = true;
    }
}

/// <summary>
/// The events of a YAML text with each key set twice in one map left out but its last, as Agent 6's YAML library (yaml.v2) decodes a
/// map, assigning each key in turn. Run after <see cref="YamlBounds.Check"/>, which bounds the text's nesting and size.
/// </summary>
internal sealed class LastKeyWinsParser : IParser
{
    private readonly List<ParsingEvent> _events;
    private int _index = -1;

    public LastKeyWinsParser(string text)
    {
        var all = new List<ParsingEvent>();
        var parser = new Parser(new StringReader(text));
        while (parser.MoveNext())
        {
            all.Add(parser.Current!);
        }

        var removed = new bool[all.Count];
        for (int i = 0; i < all.Count; i++)
        {
            if (all[i] is MappingStart)
            {
                MarkEarlierKeys(all, i, removed);
            }
        }

        _events = [.. all.Where((_, i) => !removed[i])];
    }

    public ParsingEvent? Current => _index >= 0 && _index < _events.Count ? _events[_index] : null;

    public bool MoveNext() => ++_index < _events.Count;

    // In the map that starts at start: each entry (key and value) whose key a later entry sets again.
    private static void MarkEarlierKeys(List<ParsingEvent> events, int start, bool[] removed)
    {
        var last = new Dictionary<string, (int Start, int End)>(StringComparer.Ordinal);
        int entry = start + 1;
        while (events[entry] is not MappingEnd)
        {
            int end = After(events, After(events, entry));
            if (events[entry] is Scalar { Value: string name })
            {
                if (last.TryGetValue(name, out (int Start, int End) earlier))
                {
                    Array.Fill(removed, true, earlier.Start, earlier.End - earlier.Start);
                }

                last[name] = (entry, end);
            }

            entry = end;
        }
    }

    // The index after the node that starts at index.
    private static int After(List<ParsingEvent> events, int index)
    {
        int depth = 0;
        do
        {
            depth += events[index].NestingIncrease;
            index++;
        }
        while (depth > 0);
        return index;
    }
}
