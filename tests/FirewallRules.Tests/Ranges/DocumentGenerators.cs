using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Cidr;
using FsCheck;
using FsCheck.Fluent;

namespace FirewallRules.Tests.Ranges;

/// <summary>
/// Pairs of ip-ranges documents for the diff properties: real documents, and real documents changed by a
/// random list of edits. Every prefix an edit adds comes from a real document (or is half of a real
/// prefix), so the pairs stay as plausible as the data.
/// </summary>
public static class DocumentGenerators
{
    private static readonly Lazy<string[]> Documents = new(() => [.. TestData.IpRangesDocuments.Select(File.ReadAllText)]);

    // Every prefix any real document lists, by family: what "add a prefix" draws from.
    private static readonly Lazy<(string[] V4, string[] V6)> Pool = new(() =>
    {
        var v4 = new SortedSet<string>(StringComparer.Ordinal);
        var v6 = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string document in Documents.Value)
        {
            foreach ((JsonArray list, bool ipv6) in Lists(JsonNode.Parse(document)!, ipv6: false))
            {
                (ipv6 ? v6 : v4).UnionWith(list.Select(prefix => prefix!.GetValue<string>()));
            }
        }

        return ([.. v4], [.. v6]);
    });

    private static readonly Gen<Edit> AnyEdit =
        Gen.Zip(Gen.Choose(0, 7), Gen.Zip(Gen.Choose(0, 1_000_000), Gen.Choose(0, 1_000_000)))
            .Select(t => new Edit((EditKind)t.Item1, t.Item2.Item1, t.Item2.Item2));

    private static readonly Gen<Edit> ReshuffleEdit =
        Gen.Zip(Gen.Elements(EditKind.SplitPrefix, EditKind.ReverseList), Gen.Zip(Gen.Choose(0, 1_000_000), Gen.Choose(0, 1_000_000)))
            .Select(t => new Edit(t.Item1, t.Item2.Item1, t.Item2.Item2));

    /// <summary>A real document and either another real one or itself, each changed by up to eight random edits.</summary>
    public static Arbitrary<DocumentPair> DocumentPairs() =>
        (from older in Gen.Choose(0, Documents.Value.Length - 1)
         from sameBase in Gen.Elements(true, false)
         from other in Gen.Choose(0, Documents.Value.Length - 1)
         from olderCount in Gen.Choose(0, 3)
         from olderEdits in Gen.ArrayOf(AnyEdit, olderCount)
         from newerCount in Gen.Choose(0, 8)
         from newerEdits in Gen.ArrayOf(AnyEdit, newerCount)
         select new DocumentPair(older, olderEdits, sameBase ? older : other, newerEdits))
        .ToArbitrary();

    /// <summary>A real document and the same document with prefixes split into halves and lists reordered: the same addresses.</summary>
    public static Arbitrary<ReshuffledDocument> ReshuffledDocuments() =>
        (from document in Gen.Choose(0, Documents.Value.Length - 1)
         from count in Gen.Choose(1, 8)
         from edits in Gen.ArrayOf(ReshuffleEdit, count)
         select new ReshuffledDocument(document, edits))
        .ToArbitrary();

    /// <summary>The real document at <paramref name="index"/> (oldest first) after <paramref name="edits"/>, as JSON.</summary>
    public static string Build(int index, IReadOnlyList<Edit> edits)
    {
        JsonObject root = JsonNode.Parse(Documents.Value[index])!.AsObject();
        foreach (Edit edit in edits)
        {
            Apply(root, edit);
        }

        return root.ToJsonString();
    }

    private static void Apply(JsonObject root, Edit edit)
    {
        JsonObject[] sections = [.. root.Where(p => p.Value is JsonObject).Select(p => p.Value!.AsObject())];
        if (sections.Length == 0)
        {
            return;
        }

        JsonObject section = sections[edit.A % sections.Length];
        (JsonArray List, bool IPv6)[] lists = [.. Lists(section, ipv6: false)];
        (JsonArray? list, bool ipv6) = lists.Length == 0 ? (null, false) : lists[edit.B % lists.Length];
        switch (edit.Kind)
        {
            case EditKind.RemovePrefix when list is { Count: > 0 }:
                list.RemoveAt(edit.B % list.Count);
                break;
            case EditKind.AddPrefix when list is not null:
                list.Add(Draw(ipv6, edit.B));
                break;
            case EditKind.SplitPrefix when list is { Count: > 0 }:
                int at = edit.B % list.Count;
                ModelPrefix whole = ModelPrefix.FromNetwork(IPNetwork.Parse(list[at]!.GetValue<string>()));
                if (whole.Length < whole.Width)
                {
                    list.RemoveAt(at);
                    list.Insert(at, new ModelPrefix(whole.Width, whole.Address, whole.Length + 1).ToString());
                    list.Insert(at, new ModelPrefix(whole.Width, whole.Address | (UInt128.One << (whole.Width - whole.Length - 1)), whole.Length + 1).ToString());
                }

                break;
            case EditKind.ReverseList when list is not null:
                JsonNode?[] reversed = [.. list.Select(n => n?.DeepClone()).Reverse()];
                list.Clear();
                foreach (JsonNode? node in reversed)
                {
                    list.Add(node);
                }

                break;
            case EditKind.RemoveSection:
                root.Remove(root.First(p => ReferenceEquals(p.Value, section)).Key);
                break;
            case EditKind.AddSection:
                // A section this library does not know, as Datadog may add tomorrow.
                root[$"new-section-{edit.B % 3}"] = section.DeepClone();
                break;
            case EditKind.AddLocation when section["prefixes_ipv4_by_location"] is JsonObject locations:
                locations[$"aws:test-{edit.B % 3}"] = new JsonArray(Draw(ipv6: false, edit.B));
                break;
            case EditKind.RemoveLocation when section["prefixes_ipv4_by_location"] is JsonObject { Count: > 0 } locations:
                locations.Remove(locations.ElementAt(edit.B % locations.Count).Key);
                break;
        }
    }

    private static string Draw(bool ipv6, int seed)
    {
        string[] pool = ipv6 ? Pool.Value.V6 : Pool.Value.V4;
        return pool[seed % pool.Length];
    }

    /// <summary>Every prefix array in a document or section (the flat lists and the per-location lists), and whether it holds IPv6.</summary>
    private static IEnumerable<(JsonArray List, bool IPv6)> Lists(JsonNode node, bool ipv6) => node switch
    {
        JsonArray array => [(array, ipv6)],
        JsonObject obj => obj.Where(p => p.Value is JsonObject or JsonArray)
            .SelectMany(p => Lists(p.Value!, ipv6 || p.Key.Contains("ipv6", StringComparison.Ordinal))),
        _ => [],
    };
}

public enum EditKind
{
    RemovePrefix,
    AddPrefix,
    SplitPrefix,
    ReverseList,
    RemoveSection,
    AddSection,
    AddLocation,
    RemoveLocation,
}

/// <summary>One edit: what, and two numbers that pick where (taken modulo what there is).</summary>
public sealed record Edit(EditKind Kind, int A, int B)
{
    public override string ToString() => $"{Kind}({A},{B})";
}

/// <summary>Two documents, each a real one after some edits; printed as the recipe when a property fails.</summary>
public sealed record DocumentPair(int Older, Edit[] OlderEdits, int Newer, Edit[] NewerEdits)
{
    public string OlderJson => DocumentGenerators.Build(Older, OlderEdits);

    public string NewerJson => DocumentGenerators.Build(Newer, NewerEdits);

    public override string ToString() =>
        $"document #{Older} with [{string.Join(", ", OlderEdits.AsEnumerable())}] vs document #{Newer} with [{string.Join(", ", NewerEdits.AsEnumerable())}]";
}

/// <summary>A real document and edits that change its lists but not its addresses.</summary>
public sealed record ReshuffledDocument(int Document, Edit[] Edits)
{
    public override string ToString() => $"document #{Document} with [{string.Join(", ", Edits.AsEnumerable())}]";
}
