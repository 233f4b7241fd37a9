using FirewallRules.Tests.Packaging;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// The LineLength target of <c>Directory.Build.targets</c>, run by MSBuild on a throwaway project that imports it: every C# line
/// longer than the <c>max_line_length</c> of <c>.editorconfig</c> is reported as file(line,col), an error while LineLengthAsError
/// is true; files under <c>obj/</c> (generated) are not checked.
/// </summary>
[TestFixture]
[Category("Package")]
public class LineLengthRuleTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateProject()
    {
        _directory = Directory.CreateTempSubdirectory("fwrules-linelength-").FullName;
        string targets = Path.Combine(TestData.RepositoryRoot, "Directory.Build.targets");
        File.WriteAllText(Path.Combine(_directory, "t.proj"), $"""
            <Project>
              <ItemGroup>
                <Compile Include="Long.cs" />
                <Compile Include="obj/Generated.cs" />
              </ItemGroup>
              <Import Project="{targets}" />
            </Project>
            """);
        Directory.CreateDirectory(Path.Combine(_directory, "obj"));
        File.WriteAllText(Path.Combine(_directory, "obj", "Generated.cs"), new string('g', 500) + "\n");
    }

    [TearDown]
    public void DeleteProject() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task LineLength_LineOverTheEditorConfigLimit_FailsTheBuildNamingFileLineAndLength()
    {
        WriteSource(new string('x', 180), new string('y', 181));

        (int exitCode, string output, _) = await Build("-p:LineLengthAsError=true");

        Assert.That(exitCode, Is.Not.EqualTo(0), output);
        string source = Path.Combine(_directory, "Long.cs");
        Assert.That(output, Does.Contain($"{source}(3,181): error FRLINE001: line is 181 characters, over the 180 of max_line_length"));
        Assert.That(output, Does.Not.Contain($"{source}(2,"), "a line of exactly the limit passes");
        Assert.That(output, Does.Not.Contain("Generated.cs"), "files under obj/ are generated, not checked");
    }

    [Test]
    public async Task LineLength_NotAsError_WarnsAndBuilds()
    {
        WriteSource(new string('y', 181));

        (int exitCode, string output, _) = await Build("-p:LineLengthAsError=false");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("(2,181): warning FRLINE001: line is 181 characters"));
    }

    [Test]
    public async Task LineLength_LimitChangedInEditorConfig_UsesTheNewLimit()
    {
        File.WriteAllText(Path.Combine(_directory, ".editorconfig"), "root = true\n\n[*]\nmax_line_length = 5\n\n[*.cs]\nmax_line_length = 20\n");
        WriteSource(new string('x', 20), new string('y', 21));

        (int exitCode, string output, _) = await Build("-p:LineLengthAsError=true", $"-p:LineLengthEditorConfig={Path.Combine(_directory, ".editorconfig")}");

        Assert.That(exitCode, Is.Not.EqualTo(0), output);
        Assert.That(output, Does.Contain("(3,21): error FRLINE001: line is 21 characters, over the 20 of max_line_length"));
        Assert.That(output, Does.Not.Contain("(2,"), "the [*.cs] section's limit, not the [*] one");
    }

    [Test]
    public void RepositoryEditorConfig_CSharpSection_Says180()
    {
        string editorConfig = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, ".editorconfig"));
        string csSection = editorConfig[editorConfig.IndexOf("[*.cs]", StringComparison.Ordinal)..];

        Assert.That(csSection, Does.Contain("\nmax_line_length = 180\n"));
    }

    private void WriteSource(params string[] lines) =>
        File.WriteAllText(Path.Combine(_directory, "Long.cs"), "// a line\n" + string.Join("\n", lines) + "\n");

    private Task<(int ExitCode, string Output, string Error)> Build(params string[] properties) =>
        BuildCommand.TryRunAsync(
            "dotnet", _directory,
            ["msbuild", "t.proj", "-t:LineLength", "-nologo", "-tl:off", $"-p:LineLengthRoot={_directory}{Path.DirectorySeparatorChar}", .. properties]);
}
