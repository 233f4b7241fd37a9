namespace FirewallRules.Tests.Architecture;

/// <summary>No method in <c>src/</c> is 60 lines or longer: a longer one does several jobs, each of which deserves a name.</summary>
[TestFixture]
public class MethodLengthTests
{
    private const int Limit = 60;

    // Methods known to be too long, each owned by a branch that is bringing it under the limit. Remove a line when its
    // method is split: the test fails while a listed method already fits, so the list only shrinks.
    private static readonly HashSet<string> KnownOffenders = new(StringComparer.Ordinal)
    {
        // The CIDR engine (issue 15, item 4).
        "src/FirewallRules/Cidr/PrefixListReader.cs: TryReadIPv4Line",
        "src/FirewallRules/Cidr/RadixSorter.cs: SplitInPlace",
    };

    [Test]
    public void EveryMethodInSrc_IsShorterThanTheLimit()
    {
        string[] tooLong = TooLong().Where(m => !KnownOffenders.Contains(m.Key)).Select(m => m.Description).ToArray();

        Assert.That(tooLong, Is.Empty, $"methods of {Limit} lines or more: split them");
    }

    [Test]
    public void KnownOffenders_AreAllStillTooLong()
    {
        HashSet<string> found = TooLong().Select(m => m.Key).ToHashSet(StringComparer.Ordinal);

        Assert.That(KnownOffenders.Where(known => !found.Contains(known)), Is.Empty, "these now fit: remove them from KnownOffenders");
    }

    [Test]
    public void Methods_MeasuresBlockAndExpressionBodies()
    {
        // Guards the scan above against a pattern that silently finds nothing.
        string code = """
            namespace N;

            internal sealed class C(int x)
            {
                private int _y = Math.Max(1, 2);

                public C()
                    : this(0)
                {
                }

                public static (int A, int B) Pair(int a,
                    int b)
                {
                    return (a, b);
                }

                private string Text() =>
                    "(" + _y + ")";

                public int Count { get; } = Compute(3);
            }
            """;

        Assert.That(SourceCode.Methods(code), Is.EqualTo(new[] { ("C", 7, 4), ("Pair", 12, 5), ("Text", 18, 2) }));
    }

    [Test]
    public void Methods_FindTheLibrarysMethods()
    {
        var all = SourceCode.Files().SelectMany(f => SourceCode.Methods(SourceCode.Read(f)).Select(m => $"{f}: {m.Name}")).ToList();

        Assert.That(all, Has.Count.GreaterThan(500));
        Assert.That(all, Does.Contain("src/FirewallRules/Emitters/RuleSetRendering.cs: Render"));
    }

    private static IEnumerable<(string Key, string Description)> TooLong() =>
        from file in SourceCode.Files()
        from method in SourceCode.Methods(SourceCode.Read(file))
        where method.Length >= Limit
        select ($"{file}: {method.Name}", $"{file}:{method.Line} {method.Name}, {method.Length} lines");
}
