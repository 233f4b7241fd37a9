using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Packaging;

/// <summary>The C# a user copies: every <c>```csharp</c> block of the READMEs and of the documentation site's pages, and the samples' programs, as written.</summary>
internal static partial class DocumentedCode
{
    private static IEnumerable<string> Readmes =>
    [
        "README.md",
        .. PackageConsumerTests.Packages.Select(package => Path.Combine("src", package, "README.md")),
        .. Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "docs"), "*.md", SearchOption.AllDirectories)
            .Where(page => !IsBuildOutput(page))
            .Select(page => Path.GetRelativePath(TestData.RepositoryRoot, page))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Each block or program, named by its file and (for a README) its first line number.</summary>
    public static IEnumerable<(string Name, string Code)> All()
    {
        foreach (string readme in Readmes)
        {
            string text = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, readme)).ReplaceLineEndings("\n");
            foreach (Match block in CSharpBlock().Matches(text))
            {
                int line = text.AsSpan(0, block.Index).Count('\n') + 2;
                yield return ($"{readme}:{line}", block.Groups["code"].Value);
            }
        }

        foreach (string program in Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "samples"), "Program.cs", SearchOption.AllDirectories))
        {
            yield return (Path.GetRelativePath(TestData.RepositoryRoot, program), File.ReadAllText(program));
        }
    }

    /// <summary>Whether a page under <c>docs/</c> is the site generator's output or work folder rather than a page of the site.</summary>
    private static bool IsBuildOutput(string page) =>
        Path.GetRelativePath(Path.Combine(TestData.RepositoryRoot, "docs"), page).Split(Path.DirectorySeparatorChar)[0] is "_site" or "obj";

    /// <summary>Whether the code can run on a machine without a network: it fetches nothing and is not a sample (which take arguments).</summary>
    public static bool RunsOffline(string name, string code) =>
        name.Contains(".md:", StringComparison.Ordinal)
        && !code.Contains("GetAsync(", StringComparison.Ordinal) && !code.Contains("UpdateAsync(", StringComparison.Ordinal)
        && !NeedsAws(code);

    /// <summary>Whether the code calls AWS (the companion package's examples), so runs against moto rather than offline.</summary>
    public static bool NeedsAws(string code) => code.Contains("using FirewallRules.Aws;", StringComparison.Ordinal);

    /// <summary>The packages the code needs beside the core library, found by the namespaces and types it uses.</summary>
    public static IEnumerable<string> CompanionPackages(string code)
    {
        if (NeedsAws(code))
        {
            yield return "FirewallRules.Aws";
        }

        if (code.Contains("IPNetwork2", StringComparison.Ordinal))
        {
            yield return "FirewallRules.IPNetwork2";
        }
    }

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
