using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// Calico's selector expressions, evaluated against a resource's labels: <c>key == 'v'</c>, <c>key != 'v'</c>, <c>key in {'a', 'b'}</c>,
/// <c>key not in {...}</c>, <c>has(key)</c>, <c>all()</c>, <c>global()</c> (true only for a non-namespaced resource), <c>!</c>,
/// <c>&amp;&amp;</c>, <c>||</c> and parentheses; an empty selector selects everything. Other syntax (<c>contains</c>, <c>starts with</c>, ...)
/// is an error.
/// </summary>
internal sealed partial class CalicoSelector
{
    private readonly List<string> _tokens;
    private int _next;

    private CalicoSelector(string text) => _tokens = [.. Token().Matches(text).Select(m => m.Value)];

    /// <summary>Whether <paramref name="selector"/> selects a resource with <paramref name="labels"/> (global: not in a namespace).</summary>
    public static bool Selects(string? selector, IReadOnlyDictionary<string, string> labels, bool global)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return true;
        }

        var parser = new CalicoSelector(selector);
        bool result = parser.Or(labels, global);
        return parser._next == parser._tokens.Count ? result : throw new FormatException($"selector '{selector}': unexpected '{parser._tokens[parser._next]}'");
    }

    private bool Or(IReadOnlyDictionary<string, string> labels, bool global)
    {
        bool value = And(labels, global);
        while (Accept("||"))
        {
            value |= And(labels, global);
        }

        return value;
    }

    private bool And(IReadOnlyDictionary<string, string> labels, bool global)
    {
        bool value = Unary(labels, global);
        while (Accept("&&"))
        {
            value &= Unary(labels, global);
        }

        return value;
    }

    private bool Unary(IReadOnlyDictionary<string, string> labels, bool global)
    {
        if (Accept("!"))
        {
            return !Unary(labels, global);
        }

        if (Accept("("))
        {
            bool inner = Or(labels, global);
            Expect(")");
            return inner;
        }

        string word = Take();
        if (word is "all" or "global" or "has")
        {
            Expect("(");
            string? key = word == "has" ? Take() : null;
            Expect(")");
            return word switch { "all" => true, "global" => global, _ => labels.ContainsKey(key!) };
        }

        return Comparison(word, labels);
    }

    private bool Comparison(string key, IReadOnlyDictionary<string, string> labels)
    {
        labels.TryGetValue(key, out string? actual);
        if (Accept("==") || Accept("!="))
        {
            bool equal = _tokens[_next - 1] == "==";
            return equal == (actual == Literal(Take()));
        }

        bool negated = Accept("not");
        Expect("in");
        Expect("{");
        var values = new List<string>();
        do
        {
            values.Add(Literal(Take()));
        }
        while (Accept(","));
        Expect("}");
        return negated != (actual is not null && values.Contains(actual));
    }

    private static string Literal(string token) => token.Length >= 2 && token[0] is '\'' or '"' && token[^1] == token[0]
        ? token[1..^1]
        : throw new FormatException($"'{token}' is not a quoted value");

    private bool Accept(string token)
    {
        if (_next < _tokens.Count && _tokens[_next] == token)
        {
            _next++;
            return true;
        }

        return false;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw new FormatException($"expected '{token}' at token {_next}");
        }
    }

    private string Take() => _next < _tokens.Count ? _tokens[_next++] : throw new FormatException("the selector ends early");

    [GeneratedRegex(@"'[^']*'|""[^""]*""|&&|\|\||==|!=|[!(){},]|[A-Za-z0-9_./-]+|\S")]
    private static partial Regex Token();
}
