using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// Reads back the Bicep the Azure formats write, strictly, following the language's rules for what they use:
/// <c>//</c> comments, <c>@description</c> decorators, <c>param</c> (with or without a default), <c>resource</c> and
/// <c>output</c> statements, objects and arrays one item per line (<c>{}</c> empty), single-quoted strings with Bicep's
/// escapes, booleans, and expressions made of names, <c>.member</c>, <c>[index]</c> and function calls. Anything else,
/// including an unescaped <c>${</c> (interpolation), is an error: no Bicep compiler is installable here.
/// <see cref="BicepCompilation"/> turns what it read into the ARM template Bicep would compile it to.
/// </summary>
internal sealed class BicepReader
{
    private readonly List<Token> _tokens = [];
    private int _next;

    private BicepReader(string text) => Tokenize(text);

    /// <summary>Parameter defaults (strings, or <c>expr:...</c> for expressions; null without a default), by name, in order.</summary>
    public Dictionary<string, string?> Parameters { get; } = [];

    /// <summary>Every resource in order: its symbolic name, type (<c>type@apiVersion</c>) and body, strings decoded, expressions as <c>expr:...</c>.</summary>
    public List<(string Symbol, string Type, JsonObject Body)> Resources { get; } = [];

    /// <summary>The only resource's type and body (a file that declares one).</summary>
    public (string Type, JsonObject Body) Resource
    {
        get
        {
            (_, string type, JsonObject body) = Resources.Single();
            return (type, body);
        }
    }

    /// <summary>Output values (<c>expr:...</c>), by name.</summary>
    public Dictionary<string, string> Outputs { get; } = [];

    /// <summary>Every expression read, parsed, by its <c>expr:...</c> text.</summary>
    public Dictionary<string, BicepExpression> Expressions { get; } = [];

    public static BicepReader Read(string text)
    {
        var reader = new BicepReader(text);
        reader.ReadFile();
        return reader;
    }

    private void ReadFile()
    {
        while (Peek().Kind != Kind.End)
        {
            if (Peek().Kind == Kind.Newline)
            {
                _next++;
                continue;
            }

            if (Accept(Kind.Punctuation, "@"))
            {
                Expect(Kind.Identifier, "description");
                Expect(Kind.Punctuation, "(");
                Expect(Kind.String);
                Expect(Kind.Punctuation, ")");
                Expect(Kind.Newline);
                continue;
            }

            switch (Expect(Kind.Identifier).Text)
            {
                case "param":
                    string name = Expect(Kind.Identifier).Text;
                    Expect(Kind.Identifier, "string");
                    Parameters[name] = Accept(Kind.Punctuation, "=") ? ReadValue()!.GetValue<string>() : null;
                    break;
                case "resource":
                    string symbol = Expect(Kind.Identifier).Text;
                    string type = Expect(Kind.String).Text;
                    Expect(Kind.Punctuation, "=");
                    Resources.Add((symbol, type, (JsonObject)ReadValue()!));
                    break;
                case "output":
                    string output = Expect(Kind.Identifier).Text;
                    Expect(Kind.Identifier, "string");
                    Expect(Kind.Punctuation, "=");
                    Outputs[output] = ReadValue()!.GetValue<string>();
                    break;
                case string other:
                    throw new FormatException($"unexpected statement '{other}'");
            }

            Expect(Kind.Newline);
        }
    }

    private JsonNode? ReadValue()
    {
        Token token = _tokens[_next++];
        switch (token.Kind)
        {
            case Kind.String:
                return JsonValue.Create(token.Text);
            case Kind.Number:
                return JsonValue.Create(int.Parse(token.Text, CultureInfo.InvariantCulture));
            case Kind.Identifier when token.Text is "true" or "false":
                return JsonValue.Create(token.Text == "true");
            case Kind.Identifier:
                BicepExpression expression = ReadExpression(token.Text);
                string text = "expr:" + expression;
                Expressions[text] = expression;
                return JsonValue.Create(text);
            case Kind.Punctuation when token.Text == "{":
                var obj = new JsonObject();
                if (Accept(Kind.Punctuation, "}"))
                {
                    return obj;
                }

                Expect(Kind.Newline);
                while (!Accept(Kind.Punctuation, "}"))
                {
                    string key = Expect(Kind.Identifier).Text;
                    Expect(Kind.Punctuation, ":");
                    obj.Add(key, ReadValue());
                    Expect(Kind.Newline);
                }

                return obj;
            case Kind.Punctuation when token.Text == "[":
                var array = new JsonArray();
                Expect(Kind.Newline);
                while (!Accept(Kind.Punctuation, "]"))
                {
                    array.Add(ReadValue());
                    Expect(Kind.Newline);
                }

                return array;
            default:
                throw new FormatException($"unexpected {token.Kind} '{token.Text}'");
        }
    }

    // A name, then any of .member, [index] and (arguments): a reference, a function call, or a property of either.
    private BicepExpression ReadExpression(string name)
    {
        BicepExpression expression = new BicepExpression.Name(name);
        while (Peek().Kind == Kind.Punctuation && Peek().Text is "." or "[" or "(")
        {
            string punctuation = _tokens[_next++].Text;
            expression = punctuation switch
            {
                "." => new BicepExpression.Member(expression, Expect(Kind.Identifier).Text),
                "[" => new BicepExpression.Index(expression, int.Parse(Expect(Kind.Number).Text, CultureInfo.InvariantCulture)),
                _ => new BicepExpression.Call(((BicepExpression.Name)expression).Text, ReadArguments()),
            };
            if (punctuation == "[")
            {
                Expect(Kind.Punctuation, "]");
            }
        }

        return expression;
    }

    private List<JsonNode?> ReadArguments()
    {
        var arguments = new List<JsonNode?>();
        while (!Accept(Kind.Punctuation, ")"))
        {
            if (arguments.Count > 0)
            {
                Expect(Kind.Punctuation, ",");
            }

            arguments.Add(ReadValue());
        }

        return arguments;
    }

    private Token Peek() => _tokens[_next];

    private bool Accept(Kind kind, string text)
    {
        if (Peek().Kind == kind && Peek().Text == text)
        {
            _next++;
            return true;
        }

        return false;
    }

    private Token Expect(Kind kind, string? text = null)
    {
        Token token = _tokens[_next++];
        return token.Kind == kind && (text is null || token.Text == text)
            ? token
            : throw new FormatException($"expected {kind} {text}, found {token.Kind} '{token.Text}'");
    }

    private void Tokenize(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\n')
            {
                _tokens.Add(new Token(Kind.Newline, "\n"));
                i++;
            }
            else if (c == ' ')
            {
                i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                i = text.IndexOf('\n', i) is int end and >= 0 ? end : text.Length;
            }
            else if (c == '\'')
            {
                i = ReadString(text, i + 1);
            }
            else if (char.IsAsciiDigit(c))
            {
                int start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                _tokens.Add(new Token(Kind.Number, text[start..i]));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                _tokens.Add(new Token(Kind.Identifier, text[start..i]));
            }
            else if ("{}[]():=@.,".Contains(c, StringComparison.Ordinal))
            {
                _tokens.Add(new Token(Kind.Punctuation, c.ToString()));
                i++;
            }
            else
            {
                throw new FormatException($"unexpected character '{c}' at {i}");
            }
        }

        _tokens.Add(new Token(Kind.Newline, "\n"));
        _tokens.Add(new Token(Kind.End, string.Empty));
    }

    // Bicep escapes: \\ \' \n \r \t \$ \u{hex}; an unescaped ${ starts interpolation, which the emitter never writes.
    private int ReadString(string text, int i)
    {
        var value = new StringBuilder();
        while (true)
        {
            if (i >= text.Length || text[i] == '\n')
            {
                throw new FormatException("unterminated string");
            }

            char c = text[i++];
            if (c == '\'')
            {
                _tokens.Add(new Token(Kind.String, value.ToString()));
                return i;
            }

            if (c == '$' && i < text.Length && text[i] == '{')
            {
                throw new FormatException("string interpolation ${...} in a string");
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            char escaped = text[i++];
            switch (escaped)
            {
                case '\\' or '\'' or '$':
                    value.Append(escaped);
                    break;
                case 'n':
                    value.Append('\n');
                    break;
                case 'r':
                    value.Append('\r');
                    break;
                case 't':
                    value.Append('\t');
                    break;
                case 'u' when text[i] == '{':
                    int close = text.IndexOf('}', i);
                    value.Append(char.ConvertFromUtf32(int.Parse(text.AsSpan(i + 1, close - i - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i = close + 1;
                    break;
                default:
                    throw new FormatException($"unknown escape \\{escaped}");
            }
        }
    }

    private enum Kind
    {
        Newline,
        Identifier,
        Number,
        String,
        Punctuation,
        End,
    }

    private sealed record Token(Kind Kind, string Text);
}
