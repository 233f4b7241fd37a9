using System.Globalization;
using System.Text;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Seeded mutants of a text input: bytes flipped, the text cut, bytes that matter to YAML, JSON or an env file put in,
/// ranges cut or repeated, a value at a key replaced by one of the wrong type, an alias, deep nesting or an injection
/// payload (terminal escapes, bidi controls, NUL, line separators, wildcard prefixes, shell and path tricks).
/// </summary>
internal static class ReaderMutations
{
    /// <summary>Payloads from the injection classes the ip-ranges fuzzing used, as raw text.</summary>
    public static readonly string[] Payloads =
    [
        "\u001b]0;pwned\u0007", "\u001b[2J\u001b[31mred", "\u202eevil\u202c", "\u2028x", "\0", "\u0085", "\u009b31m", "0.0.0.0/0", "::/0",
        "10.0.0.0/8", "$(reboot)", "`id`", "; rm -rf /", "../../etc/shadow", "%00", "\\x1b", "\ud800", new string('x', 5000),
    ];

    private static readonly string[] WrongTypes =
    [
        "[a, b]", "{x: 1}", "~", "null", "''", "0", "-1", "65536", "99999999999999999999", "1e309", "true", "yes", "0x1F", "*nothing",
        "&anchor 1", "!!binary aGVsbG8=", "!!python/object:os.system", "|\n  block", ">\n  folded", "[[[[[[[[[[", "{{{{{{", "<<: 1",
    ];

    private static readonly byte[] SignificantBytes = "[]{}&*<>|:-#!%@,'\"\n\t =\0\\`?~"u8.ToArray();

    private static readonly byte[] BadBytes = [0x00, 0x1B, 0x7F, 0x80, 0xC0, 0xED, 0xF8, 0xFF, 0x85, 0x9B];

    /// <summary>One mutant of <paramref name="seed"/>; <paramref name="keys"/> are the keys the reader looks at.</summary>
    public static byte[] Mutate(Random random, string seed, IReadOnlyList<string> keys) => random.Next(9) switch
    {
        0 => Flip(random, Encoding.UTF8.GetBytes(seed)),
        1 => Truncate(random, Encoding.UTF8.GetBytes(seed)),
        2 => Insert(random, Encoding.UTF8.GetBytes(seed), random.Next(2) == 0 ? SignificantBytes : BadBytes),
        3 => CutOrRepeat(random, Encoding.UTF8.GetBytes(seed)),
        4 => Encoding.UTF8.GetBytes(ReplaceValue(random, seed, keys, WrongTypes[random.Next(WrongTypes.Length)])),
        5 => Encoding.UTF8.GetBytes(ReplaceValue(random, seed, keys, Quote(Payloads[random.Next(Payloads.Length)]))),
        6 => Encoding.UTF8.GetBytes(ReplaceValue(random, seed, keys, Nest(random))),
        7 => Encoding.UTF8.GetBytes(seed + Aliases(random)),
        _ => Flip(random, Insert(random, Encoding.UTF8.GetBytes(seed), SignificantBytes)),
    };

    /// <summary>The seed with the value of one of <paramref name="keys"/> (written <c>key: value</c> or <c>KEY=value</c>) replaced.</summary>
    public static string ReplaceValue(Random random, string seed, IReadOnlyList<string> keys, string value)
    {
        string key = keys[random.Next(keys.Count)];
        foreach (string marker in new[] { key + ": ", key + "=", "\"" + key + "\": " })
        {
            int at = seed.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                int start = at + marker.Length;
                int end = seed.IndexOfAny(['\n', '\0', ','], start);
                return seed[..start] + value + (end < 0 ? string.Empty : seed[end..]);
            }
        }

        return seed + $"\n{key}: {value}\n";
    }

    private static string Quote(string payload) => "\"" + payload.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Nest(Random random)
    {
        int depth = random.Next(2) == 0 ? random.Next(50, 80) : random.Next(1000, 60_000);
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth);
    }

    private static string Aliases(Random random)
    {
        var text = new StringBuilder("\n");
        switch (random.Next(3))
        {
            case 0:
                text.Append("zz: &zz {b: *zz}\n");
                break;
            case 1:
                text.Append("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
                for (int i = 1; i < random.Next(4, 12); i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]\n");
                }

                break;
            default:
                text.Append("base: &base {logs_enabled: true, force_use_tcp: true}\nlogs_config:\n  <<: [*base, *base]\n");
                break;
        }

        return text.ToString();
    }

    private static byte[] Flip(Random random, byte[] bytes)
    {
        byte[] copy = [.. bytes];
        for (int i = random.Next(1, 8); i > 0 && copy.Length > 0; i--)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] Truncate(Random random, byte[] bytes) => bytes[..random.Next(bytes.Length + 1)];

    private static byte[] Insert(Random random, byte[] bytes, byte[] from)
    {
        int at = random.Next(bytes.Length + 1);
        byte[] inserted = [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => from[random.Next(from.Length)])];
        return [.. bytes[..at], .. inserted, .. bytes[at..]];
    }

    private static byte[] CutOrRepeat(Random random, byte[] bytes)
    {
        int start = random.Next(bytes.Length + 1);
        int length = random.Next(Math.Min(64, bytes.Length - start) + 1);
        return random.Next(2) == 0
            ? [.. bytes[..start], .. bytes[(start + length)..]]
            : [.. bytes[..(start + length)], .. bytes[start..(start + length)], .. bytes[(start + length)..]];
    }
}
