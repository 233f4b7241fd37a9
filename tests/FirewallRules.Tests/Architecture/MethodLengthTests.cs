namespace FirewallRules.Tests.Architecture;

/// <summary>No method in <c>src/</c> is 60 lines or longer: a longer one does several jobs, each of which deserves a name.</summary>
[TestFixture]
public class MethodLengthTests
{
    private const int Limit = 60;

    [Test]
    public void EveryMethodInSrc_IsShorterThanTheLimit()
    {
        string[] tooLong = TooLong().ToArray();

        Assert.That(tooLong, Is.Empty, $"methods of {Limit} lines or more: split them");
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

    private static IEnumerable<string> TooLong() =>
        from file in SourceCode.Files()
        from method in SourceCode.Methods(SourceCode.Read(file))
        where method.Length >= Limit
        select $"{file}:{method.Line} {method.Name}, {method.Length} lines";
}
