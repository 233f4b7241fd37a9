using System.Text.RegularExpressions;
using FirewallRules.Emitters;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// A format's name is spelled in one folder of <c>Emitters/</c> only (its emitter, its plan writers, or for a name the
/// clouds share, <c>Cloud/</c>): the registry, the render steps, the command line and the mirror read it from there,
/// so renaming a format is one edit.
/// </summary>
[TestFixture]
public partial class FormatNameTests
{
    private static string[] Names { get; } = [.. EmitterRegistry.Default.Formats.Select(f => f.Format)];

    [Test]
    public void FormatNames_AreNotStringLiteralsInTheCommandLineTheMirrorOrTheEmittersRoot()
    {
        string[] files = [.. SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules.Cli/", StringComparison.Ordinal)
            || f.StartsWith("src/FirewallRules.Server/", StringComparison.Ordinal) || IsEmittersRoot(f))];

        string[] literals = [.. files.SelectMany(file => Literals(SourceCode.WithoutComments(SourceCode.Read(file))).Select(name => $"{file}: \"{name}\""))];

        Assert.That(files, Has.Length.GreaterThan(40), "guards the scan against finding no file");
        Assert.That(literals, Is.Empty, "read the name from the format's folder (the registry, a description, an emitter's Format)");
    }

    [Test]
    public void FormatNames_AreStringLiteralsInOneEmittersFolderEach()
    {
        var folders = SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules/Emitters/", StringComparison.Ordinal) && !IsEmittersRoot(f))
            .SelectMany(file => Literals(SourceCode.WithoutComments(SourceCode.Read(file))).Select(name => (Name: name, Folder: file.Split('/')[3])))
            .Distinct()
            .GroupBy(spelling => spelling.Name, spelling => spelling.Folder)
            .ToDictionary(name => name.Key, name => name.Order(StringComparer.Ordinal).ToArray());

        string[] spread = [.. folders.Where(name => name.Value.Length > 1).Select(name => $"\"{name.Key}\" in {string.Join(", ", name.Value)}")];

        Assert.That(folders.Keys, Has.Count.GreaterThanOrEqualTo(Names.Length / 2), "guards the scan against finding no literal");
        Assert.That(spread, Is.Empty, "spell a format's name once, in its folder (Cloud/ for a name the clouds share), and read it from there");
    }

    [Test]
    public void Literals_FindsAFormatNameInQuotesOnly()
    {
        // Guards the scans above against a pattern that silently matches nothing.
        Assert.That(Literals("x = \"terraform\"; y = \"terraform-gcp\"; z = \"terraforms\"; // terraform"), Is.EqualTo(new[] { "terraform", "terraform-gcp" }));
    }

    private static bool IsEmittersRoot(string file) =>
        file.StartsWith("src/FirewallRules/Emitters/", StringComparison.Ordinal) && file.Count(c => c == '/') == 3;

    private static IEnumerable<string> Literals(string code) =>
        StringLiteral().Matches(code).Select(m => m.Groups[1].Value).Where(Names.Contains);

    [GeneratedRegex("\"([a-z0-9-]+)\"")]
    private static partial Regex StringLiteral();
}
