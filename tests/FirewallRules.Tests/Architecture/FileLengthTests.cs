namespace FirewallRules.Tests.Architecture;

/// <summary>No source file in <c>src/</c> is over 450 lines: a longer one holds several jobs, split at a real seam.</summary>
[TestFixture]
public class FileLengthTests
{
    private const int Limit = 450;

    [Test]
    public void EverySourceFileInSrc_IsAtMostTheLimit()
    {
        string[] tooLong = SourceCode.Files()
            .Select(file => (File: file, Lines: Lines(SourceCode.Read(file))))
            .Where(f => f.Lines > Limit)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToArray();

        Assert.That(tooLong, Is.Empty, $"source files over {Limit} lines: split them at a real seam");
    }

    [Test]
    public void Lines_CountsAsAnEditorDoes()
    {
        // Guards the check above against a count that is always small.
        Assert.That(Lines("a\nb\n"), Is.EqualTo(2));
        Assert.That(Lines("a\r\nb"), Is.EqualTo(2));
        Assert.That(Lines(string.Concat(Enumerable.Repeat("x;\n", Limit + 1))), Is.GreaterThan(Limit));
        Assert.That(SourceCode.Files().Select(f => Lines(SourceCode.Read(f))).Max(), Is.GreaterThan(200));
    }

    private static int Lines(string text) => text.Length == 0 ? 0 : text.Split('\n').Length - (text.EndsWith('\n') ? 1 : 0);
}
