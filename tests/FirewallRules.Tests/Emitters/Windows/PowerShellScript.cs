using System.Text;

namespace FirewallRules.Tests.Emitters.Windows;

/// <summary>
/// A strict reader for the PowerShell the <c>windows</c> format writes. It stands in for
/// System.Management.Automation's parser, which the package registry here does not hold.
/// </summary>
/// <remarks>
/// It lexes as PowerShell's tokenizer does where injection lives: a <c>#</c> comment ends only at CR or LF; a
/// single-quoted string starts and ends at any of <c>' U+2018 U+2019 U+201A U+201B</c> and a pair of them is
/// one escaped quote; <c>" U+201C U+201D U+201E</c> start expandable strings. It then refuses everything the
/// emitter never writes (expandable and here-strings, backticks, <c>$(...)</c>, the call operator, block
/// comments, keywords other than <c>if</c> and <c>param</c>) and records every command invoked, with its
/// arguments, so tests can assert which commands run and with what constants.
/// </remarks>
internal sealed class PowerShellScript
{
    private static readonly string[] Keywords = ["if", "param"];

    private PowerShellScript(IReadOnlyList<PowerShellCommand> commands, IReadOnlyList<string> comments)
    {
        Commands = commands;
        Comments = comments;
    }

    /// <summary>Every command invoked, in order of appearance (nested ones after the line that holds them).</summary>
    public IReadOnlyList<PowerShellCommand> Commands { get; }

    /// <summary>Every comment's text, <c>#</c> included.</summary>
    public IReadOnlyList<string> Comments { get; }

    /// <summary>The invocations of <paramref name="name"/>.</summary>
    public IReadOnlyList<PowerShellCommand> Invocations(string name) => Commands.Where(c => c.Name == name).ToArray();

    /// <exception cref="FormatException">The text holds something the emitter never writes, or does not lex.</exception>
    public static PowerShellScript Read(string text)
    {
        List<Token> tokens = Lex(text);
        var commands = new List<PowerShellCommand>();
        var frames = new Stack<Frame>();
        frames.Push(new Frame(FrameKind.Statements, "", -1) { ExpectCommand = true });
        Token? previous = null;
        var open = new List<(int Start, Frame Frame)>();
        for (int i = 0; i < tokens.Count; i++)
        {
            Token token = tokens[i];
            Frame frame = frames.Peek();
            switch (token.Kind)
            {
                case TokenKind.Comment:
                    continue;
                case TokenKind.Open:
                    frame.ExpectCommand = false;
                    FrameKind kind = frame.Kind == FrameKind.Attribute || token.Text == "[" ? FrameKind.Attribute
                        : token.Text == "@{" ? FrameKind.Hashtable
                        : FrameKind.Statements;
                    frames.Push(new Frame(kind, token.Text, token.Offset) { ExpectCommand = kind == FrameKind.Statements });
                    break;
                case TokenKind.Close:
                    Frame closed = frames.Pop();
                    string expected = closed.Opener switch { "[" => "]", "(" or "@(" => ")", _ => "}" };
                    if (frames.Count == 0 || token.Text != expected)
                    {
                        throw new FormatException($"'{token.Text}' at {token.Offset} does not close '{closed.Opener}' at {closed.Offset}");
                    }

                    frames.Peek().ExpectCommand = false;
                    break;
                case TokenKind.Newline or TokenKind.Semicolon:
                    // A line ending in a comma continues the expression (the elements of an array).
                    frame.ExpectCommand = frame.Kind == FrameKind.Statements && previous?.Kind != TokenKind.Comma;
                    if (frame.Kind == FrameKind.Attribute)
                    {
                        throw new FormatException($"statement separator inside an attribute at {token.Offset}");
                    }

                    break;
                case TokenKind.Pipe or TokenKind.Equals:
                    frame.ExpectCommand = true;
                    break;
                case TokenKind.Word when frame.ExpectCommand:
                    frame.ExpectCommand = false;
                    if (token.Text.StartsWith('-') || token.Text.All(char.IsAsciiDigit))
                    {
                        break; // a unary operator such as -not, or a number
                    }

                    if (Keywords.Contains(token.Text, StringComparer.OrdinalIgnoreCase))
                    {
                        break;
                    }

                    open.Add((i, frame));
                    break;
                default:
                    frame.ExpectCommand = false;
                    break;
            }

            previous = token.Kind is TokenKind.Newline ? previous : token;
        }

        if (frames.Count != 1)
        {
            Frame unclosed = frames.Peek();
            throw new FormatException($"'{unclosed.Opener}' at {unclosed.Offset} is never closed");
        }

        foreach ((int start, _) in open)
        {
            commands.Add(ReadCommand(tokens, start));
        }

        return new PowerShellScript(commands, tokens.Where(t => t.Kind == TokenKind.Comment).Select(t => t.Text).ToArray());
    }

    // A command's arguments run to the end of its statement: a newline, ';' or '|' at its own depth, or the close of its frame.
    private static PowerShellCommand ReadCommand(List<Token> tokens, int start)
    {
        var parameters = new List<(string Name, PowerShellValue? Value)>();
        int i = start + 1;
        while (i < tokens.Count && tokens[i].Kind is not (TokenKind.Newline or TokenKind.Semicolon or TokenKind.Pipe or TokenKind.Close or TokenKind.Comment))
        {
            Token token = tokens[i];
            if (token.Kind == TokenKind.Splat)
            {
                parameters.Add(("@" + token.Text, null));
                i++;
                continue;
            }

            if (token is { Kind: TokenKind.Open, Text: "(" })
            {
                // A positional expression: its own commands, if any, are recorded on their own.
                int depth = 0;
                do
                {
                    depth += tokens[i].Kind == TokenKind.Open ? 1 : tokens[i].Kind == TokenKind.Close ? -1 : 0;
                    i++;
                }
                while (depth > 0);
                parameters.Add(("", new PowerShellValue(TokenKind.Open, ["(...)"])));
                continue;
            }

            if (token.Kind == TokenKind.String || (token.Kind == TokenKind.Word && !token.Text.StartsWith('-')))
            {
                parameters.Add(("", new PowerShellValue(token.Kind, [token.Text])));
                i++;
                continue;
            }

            if (token.Kind != TokenKind.Word)
            {
                throw new FormatException($"argument {token.Kind} '{token.Text}' at {token.Offset} to {tokens[start].Text}");
            }

            i++;
            if (i < tokens.Count && (tokens[i].Kind is TokenKind.String or TokenKind.Variable || (tokens[i].Kind == TokenKind.Word && !tokens[i].Text.StartsWith('-'))))
            {
                parameters.Add((token.Text, new PowerShellValue(tokens[i].Kind, [tokens[i].Text])));
                i++;
            }
            else if (i < tokens.Count && tokens[i] is { Kind: TokenKind.Open, Text: "@(" })
            {
                (PowerShellValue array, i) = ReadArray(tokens, i + 1);
                parameters.Add((token.Text, array));
            }
            else
            {
                parameters.Add((token.Text, null)); // a switch
            }
        }

        return new PowerShellCommand(tokens[start].Text, parameters);
    }

    // @( 'a', 'b' ): constant strings only, separated by commas, over any number of lines.
    private static (PowerShellValue Array, int Next) ReadArray(List<Token> tokens, int i)
    {
        var items = new List<string>();
        bool expectItem = true;
        for (; i < tokens.Count; i++)
        {
            Token token = tokens[i];
            switch (token.Kind)
            {
                case TokenKind.Newline:
                    continue;
                case TokenKind.String when expectItem:
                    items.Add(token.Text);
                    expectItem = false;
                    continue;
                case TokenKind.Comma when !expectItem:
                    expectItem = true;
                    continue;
                case TokenKind.Close when token.Text == ")" && !expectItem:
                    return (new PowerShellValue(TokenKind.String, items), i + 1);
                default:
                    throw new FormatException($"{token.Kind} '{token.Text}' at {token.Offset} in an array that should hold constant strings only");
            }
        }

        throw new FormatException("an array is never closed");
    }

    private static bool IsSingleQuote(char c) => c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B';

    private static bool IsDoubleQuote(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E';

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int start = i;
            if (c is ' ' or '\t')
            {
                i++;
            }
            else if (c is '\r' or '\n')
            {
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                tokens.Add(new Token(TokenKind.Newline, "\n", start));
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] is not ('\r' or '\n'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Comment, text[start..i], start));
            }
            else if (IsSingleQuote(c))
            {
                var value = new StringBuilder();
                for (i++; ; i++)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException($"string at {start} is never closed");
                    }

                    if (IsSingleQuote(text[i]))
                    {
                        if (i + 1 >= text.Length || !IsSingleQuote(text[i + 1]))
                        {
                            i++;
                            break;
                        }

                        i++; // a pair of quotes is one quote, the second of the pair
                    }

                    value.Append(text[i]);
                }

                tokens.Add(new Token(TokenKind.String, value.ToString(), start));
            }
            else if (IsDoubleQuote(c) || c is '`' or '&' || (c == '<' && i + 1 < text.Length && text[i + 1] == '#'))
            {
                throw new FormatException($"'{c}' at {start}: the emitter never writes expandable strings, escapes, call operators or block comments");
            }
            else if (c == '$')
            {
                for (i++; i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'); i++)
                {
                }

                if (i == start + 1)
                {
                    throw new FormatException($"'$' at {start} is not a simple variable (subexpression or special variable)");
                }

                tokens.Add(new Token(TokenKind.Variable, text[start..i], start));
            }
            else if (c == '@')
            {
                char next = i + 1 < text.Length ? text[i + 1] : '\0';
                if (next is '(' or '{')
                {
                    i += 2;
                    tokens.Add(new Token(TokenKind.Open, text[start..i], start));
                }
                else if (char.IsAsciiLetter(next))
                {
                    for (i++; i < text.Length && char.IsAsciiLetterOrDigit(text[i]); i++)
                    {
                    }

                    tokens.Add(new Token(TokenKind.Splat, text[(start + 1)..i], start));
                }
                else
                {
                    throw new FormatException($"'@{next}' at {start}: the emitter never writes here-strings");
                }
            }
            else if (c is '(' or '{' or '[')
            {
                i++;
                tokens.Add(new Token(TokenKind.Open, c.ToString(), start));
            }
            else if (c is ')' or '}' or ']')
            {
                i++;
                tokens.Add(new Token(TokenKind.Close, c.ToString(), start));
            }
            else if (c is ',' or ';' or '|' or '=')
            {
                i++;
                tokens.Add(new Token(c switch { ',' => TokenKind.Comma, ';' => TokenKind.Semicolon, '|' => TokenKind.Pipe, _ => TokenKind.Equals }, c.ToString(), start));
            }
            else
            {
                while (i < text.Length && !IsWordEnd(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], start));
            }
        }

        return tokens;

        static bool IsWordEnd(char c) =>
            c is ' ' or '\t' or '\r' or '\n' or '#' or '$' or '@' or '(' or ')' or '{' or '}' or '[' or ']' or ',' or ';' or '|' or '=' or '`' or '&'
            || IsSingleQuote(c) || IsDoubleQuote(c);
    }

    private enum FrameKind
    {
        Statements,
        Hashtable,
        Attribute,
    }

    private sealed record Frame(FrameKind Kind, string Opener, int Offset)
    {
        public bool ExpectCommand { get; set; }
    }

    private sealed record Token(TokenKind Kind, string Text, int Offset);
}

/// <summary>What the reader found in a script.</summary>
internal enum TokenKind
{
    Comment,
    String,
    Word,
    Variable,
    Splat,
    Open,
    Close,
    Comma,
    Semicolon,
    Pipe,
    Equals,
    Newline,
}

/// <summary>A parameter's value: one token, or the constant strings of an <c>@( )</c> array.</summary>
internal sealed record PowerShellValue(TokenKind Kind, IReadOnlyList<string> Items)
{
    public string Single => Items.Count == 1 ? Items[0] : throw new InvalidOperationException($"{Items.Count} values, not one");
}

/// <summary>
/// One command invocation: its name and its arguments in order. Positional arguments have the name "",
/// splats the name <c>@name</c> and no value, switches no value.
/// </summary>
internal sealed record PowerShellCommand(string Name, IReadOnlyList<(string Name, PowerShellValue? Value)> Parameters)
{
    public PowerShellValue this[string parameter] =>
        Parameters.Where(p => string.Equals(p.Name, parameter, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value).Single()
        ?? throw new InvalidOperationException($"{Name} {parameter} is a switch");

    public bool Has(string parameter) => Parameters.Any(p => string.Equals(p.Name, parameter, StringComparison.OrdinalIgnoreCase));
}
