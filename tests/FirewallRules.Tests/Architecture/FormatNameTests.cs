using System.Text.RegularExpressions;
using FirewallRules.Emitters;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// A format's name is spelled in its own folder only (its emitter and, for private connectivity, its plan writer): the
/// registry, the render steps and the command line read it from there, so renaming a format is one edit.
/// </summary>
[TestFixture]
public partial class FormatNameTests
{
    private static string[] Names { get; } = [.. EmitterRegistry.Default.Formats.Select(f => f.Format)];

    [Test]
    public void FormatNames_AreNotStringLiteralsInTheCommandLineOrTheEmittersRoot()
    {
        string[] files = [.. SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules.Cli/", StringComparison.Ordinal) || IsEmittersRoot(f))];

        string[] literals = [.. files.SelectMany(file => Literals(SourceCode.WithoutComments(SourceCode.Read(file))).Select(name => $"{file}: \"{name}\""))];

        Assert.That(files, Has.Length.GreaterThan(20), "guards the scan against finding no file");
        Assert.That(literals, Is.Empty, "read the name from the format's folder (the registry, a description, an emitter's Format)");
    }

    [Test]
    public void Literals_FindsAFormatNameInQuotesOnly()
    {
        // Guards the scan above against a pattern that silently matches nothing.
        Assert.That(Literals("x = \"terraform\"; y = \"terraform-gcp\"; z = \"terraforms\"; // terraform"), Is.EqualTo(new[] { "terraform", "terraform-gcp" }));
    }

    private static bool IsEmittersRoot(string file) =>
        file.StartsWith("src/FirewallRules/Emitters/", StringComparison.Ordinal) && file.Count(c => c == '/') == 3;

    private static IEnumerable<string> Literals(string code) =>
        StringLiteral().Matches(code).Select(m => m.Groups[1].Value).Where(Names.Contains);

    [GeneratedRegex("\"([a-z0-9-]+)\"")]
    private static partial Regex StringLiteral();
}
