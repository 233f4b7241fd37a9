using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// The patches of <c>tests/mutations/</c> break the rules the proofs guard (<c>tests/mutations/run.sh</c> runs each and its tests):
/// a patch that no longer applies to the sources is a proof no one can show failing, so each must apply to the code as it is.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class MutationPatchTests
{
    private static IEnumerable<string> Patches() =>
        Directory.EnumerateFiles(Path.Combine(TestData.RepositoryRoot, "tests", "mutations"), "*.patch").Select(Path.GetFileName).OfType<string>().Order();

    [TestCaseSource(nameof(Patches))]
    public void Patch_AppliesToTheSources_AndNamesItsRuleAndTests(string patch)
    {
        string path = Path.Combine(TestData.RepositoryRoot, "tests", "mutations", patch);
        string[] head = [.. File.ReadLines(path).Take(2)];
        Assert.That(head[0], Does.StartWith("# rule: "), "the first line says what the patch breaks");
        Assert.That(head[1], Does.StartWith("# test: "), "the second line names the tests that must catch it");

        ToolResult check = LinuxTools.Run("git", ["-C", TestData.RepositoryRoot, "apply", "--check", path]);
        Assert.That(check.ExitCode, Is.Zero, $"{patch} no longer applies: rebase it on the code it breaks\n{check.Error}");
    }
}
