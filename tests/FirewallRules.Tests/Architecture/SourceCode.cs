using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Reads the repository's C# sources as text for the architecture tests. The build formats every file the same way
/// (<c>.editorconfig</c>): four-space indents, braces on their own lines, so a member's extent is its indentation.
/// </summary>
internal static partial class SourceCode
{
    /// <summary>Every <c>.cs</c> file under <c>src/</c>, outside build output, relative to the repository.</summary>
    public static IEnumerable<string> Files() => Under("src");

    private static IEnumerable<string> Under(string folder) =>
        Directory.EnumerateFiles(Path.Combine(TestData.RepositoryRoot, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(TestData.RepositoryRoot, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>Every <c>.cs</c> file of the test project, outside build output, relative to the repository.</summary>
    public static IEnumerable<string> TestFiles() => Under(Path.Combine("tests", "FirewallRules.Tests"));

    /// <summary>The text of a file named as <see cref="Files"/> names it.</summary>
    public static string Read(string file) => File.ReadAllText(Path.Combine(TestData.RepositoryRoot, file));

    /// <summary>The code without <c>//</c> and <c>///</c> comments (and anything after <c>//</c> on a line, strings included).</summary>
    public static string WithoutComments(string code) => LineComment().Replace(code, string.Empty);

    /// <summary>
    /// The methods and constructors declared in <paramref name="code"/> (local functions too), each with its first line
    /// (1-based) and its length in lines, from its declaration to its closing brace or the end of its expression body.
    /// </summary>
    public static IEnumerable<(string Name, int Line, int Length)> Methods(string code)
    {
        string[] lines = code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            Match declaration = MethodDeclaration().Match(lines[i]);
            if (declaration.Success && !TypeKeyword().IsMatch(lines[i].Split('(')[0]))
            {
                yield return (declaration.Groups["name"].Value, i + 1, LastLine(lines, i, declaration.Groups["indent"].Length) - i + 1);
            }
        }
    }

    // The body is everything indented deeper than the declaration, plus the braces at its own indentation.
    private static int LastLine(string[] lines, int start, int indent)
    {
        int last = start;
        for (int j = start + 1; j < lines.Length; j++)
        {
            string line = lines[j].TrimEnd('\r');
            string trimmed = line.TrimStart(' ');
            int depth = line.Length - trimmed.Length;
            if (trimmed.Length == 0)
            {
                continue;
            }

            bool brace = depth == indent && trimmed is "{" or "}" or "};";
            if (depth <= indent && !brace)
            {
                break;
            }

            last = j;
            if (brace && trimmed != "{")
            {
                break;
            }
        }

        return last;
    }

    [GeneratedRegex(
        @"^(?<indent> *)(?:(?:public|private|protected|internal|static|virtual|override|abstract|sealed|async|extern|unsafe|new|partial|readonly|file)\s+)+"
        + @"(?:[^=;]*?\s)?(?<name>~?[A-Za-z_]\w*)\s*(?:<[^>]*>)?\s*\(")]
    private static partial Regex MethodDeclaration();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum|delegate)\b")]
    private static partial Regex TypeKeyword();

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();
}
