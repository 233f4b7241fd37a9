using System.Net;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// A simple reference model of <c>ipset restore</c> for the commands our outputs write: sets as plain sets of elements
/// (the text of each prefix), applied line by line, stopping at the first line that fails as ipset does. Independent of
/// the emitters, so the update can be checked against it without the kernel.
/// </summary>
internal sealed class IpsetModel
{
    private readonly Dictionary<string, (string Type, HashSet<IPNetwork> Elements)> _sets = new(StringComparer.Ordinal);

    /// <summary>The sets and their elements, sorted, for comparison.</summary>
    public Dictionary<string, string[]> Sets =>
        _sets.ToDictionary(s => s.Key, s => s.Value.Elements.Select(e => e.ToString()).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

    /// <summary>The elements of <paramref name="set"/> now, as a prefix set (for address-level questions).</summary>
    public PrefixSet Covered(string set) => _sets.TryGetValue(set, out var found) ? PrefixSet.Create(found.Elements) : PrefixSet.Empty;

    /// <summary>
    /// Applies <paramref name="restoreFile"/> line by line, calling <paramref name="afterEach"/> after each command; returns
    /// the number of the first line that failed (ipset's "Error in line N"), or null when every line succeeded.
    /// </summary>
    public int? Apply(string restoreFile, Action<IpsetModel>? afterEach = null)
    {
        string[] lines = restoreFile.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || lines[i].StartsWith('#'))
            {
                continue;
            }

            if (!Run(lines[i].Split(' ')))
            {
                return i + 1;
            }

            afterEach?.Invoke(this);
        }

        return null;
    }

    private bool Run(string[] words)
    {
        bool exist = words[^1] == "-exist";
        string set = words[1];
        bool found = _sets.TryGetValue(set, out var current);
        switch (words[0])
        {
            case "create":
                string type = TypeWithoutHashSize(words[2..(exist ? ^1 : ^0)]);
                if (found)
                {
                    return exist && current.Type == type;
                }

                _sets[set] = (type, []);
                return true;
            case "flush" when found:
                current.Elements.Clear();
                return true;
            case "add" when found && OfFamily(current.Type, words[2]):
                // An element already there is refused (or passes with -exist) before a full set refuses a new one.
                return current.Elements.Contains(Element(words[2]))
                    ? exist
                    : current.Elements.Count < MaxElem(current.Type) && current.Elements.Add(Element(words[2]));
            case "del" when found && OfFamily(current.Type, words[2]):
                return current.Elements.Remove(Element(words[2])) || exist;
            case "swap" when found && _sets.TryGetValue(words[2], out var other):
                (_sets[set], _sets[words[2]]) = (other, current);
                return true;
            case "destroy" when found:
                return _sets.Remove(set);
            default:
                return false;
        }
    }

    // hash:net elements are prefixes; hash:ip elements (the version mark) single addresses.
    private static IPNetwork Element(string text) => text.Contains('/', StringComparison.Ordinal)
        ? IPNetwork.Parse(text)
        : new IPNetwork(IPAddress.Parse(text), text.Contains(':', StringComparison.Ordinal) ? 128 : 32);

    // ipset's default maxelem, or the one the set was created with.
    private static int MaxElem(string type)
    {
        string[] words = type.Split(' ');
        int at = Array.IndexOf(words, "maxelem");
        return at >= 0 ? int.Parse(words[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 65536;
    }

    // ipset parses an element as the set's family, and refuses one of the other.
    private static bool OfFamily(string type, string element) =>
        type.Contains("family inet6", StringComparison.Ordinal) == element.Contains(':', StringComparison.Ordinal);

    // The kernel ignores hashsize when it compares an existing set (the hash grows with the set).
    private static string TypeWithoutHashSize(string[] arguments)
    {
        var kept = new List<string>();
        for (int i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] == "hashsize")
            {
                i++;
                continue;
            }

            kept.Add(arguments[i]);
        }

        return string.Join(' ', kept);
    }
}
