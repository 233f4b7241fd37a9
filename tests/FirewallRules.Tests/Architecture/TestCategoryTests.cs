using System.Reflection;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Every fixture whose code starts a process (a real tool, the mirror, a browser, a network namespace: <see cref="ProcessStarts"/>;
/// not the built fwrules itself, which starts natively in milliseconds)
/// carries a category (<c>RealTools</c>, <c>Aws</c>, <c>Server</c>, <c>Browser</c>, <c>Package</c>), on the fixture or on each of
/// its tests, so that <c>dotnet test --filter "TestCategory!=RealTools&amp;..."</c> (docs/guides/development.md) runs the fast tests alone.
/// </summary>
[TestFixture]
public sealed class TestCategoryTests
{
    /// <summary>The categories of the tests that start processes: the fast loop's filter leaves out exactly these.</summary>
    public static readonly string[] SlowCategories = ["RealTools", "Aws", "Server", "Browser", "Package"];

    // The tool itself (the built fwrules, started natively in milliseconds) is what the command line's tests check, not a real tool.
    private static readonly Lazy<ProcessStarts> Starts =
        new(() => new ProcessStarts(ProcessStarts.ProjectAssemblies(), typeof(FwrulesProcess), typeof(RunningFwrules)));

    [Test]
    public void Fixtures_ThatStartAProcess_CarryASlowCategory()
    {
        string[] uncategorised = [.. Fixtures(typeof(TestCategoryTests).Assembly)
            .Where(fixture => !Categorised(fixture) && Starts.Value.Start(fixture))
            .Select(fixture => $"{fixture.FullName}: {Starts.Value.Path(fixture)}")
            .Order(StringComparer.Ordinal)];

        Assert.That(uncategorised, Is.Empty, $"fixtures that start a process without one of the categories {string.Join(", ", SlowCategories)}");
    }

    [Test]
    public void ProcessStarts_FollowsCallsLambdasAndStateMachines()
    {
        // Guards the walk against finding nothing: each of these reaches Process.Start only in its own way.
        Assert.Multiple(() =>
        {
            Assert.That(Starts.Value.Start(typeof(Packaging.BuildCommand)), Is.True, "a direct call");
            Assert.That(Starts.Value.Start(typeof(Emitters.Linux.NetworkNamespace)), Is.True, "through LinuxTools, from a static method");
            Assert.That(Starts.Value.Start(typeof(Packaging.PackageVersionTests)), Is.True, "from async methods, through a helper");
            Assert.That(Starts.Value.Start(typeof(Cidr.PrefixSetTests)), Is.False, "a fixture of the engine alone");
            Assert.That(Starts.Value.Start(typeof(Cli.HelpAndUsageTests)), Is.False, "the command line in process, and the built tool itself");
        });
    }

    private static IEnumerable<Type> Fixtures(Assembly assembly) =>
        assembly.GetTypes().Where(type => type is { IsClass: true, IsAbstract: false } && TestMethods(type).Any());

    private static IEnumerable<MethodInfo> TestMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(method => method.GetCustomAttributes().Any(attribute => attribute is TestAttribute or TestCaseAttribute or TestCaseSourceAttribute or FsCheckProperty));

    private static bool Categorised(Type fixture) =>
        SlowCategory(fixture.GetCustomAttributes<CategoryAttribute>(inherit: true))
        || TestMethods(fixture).All(method => SlowCategory(method.GetCustomAttributes<CategoryAttribute>()));

    private static bool SlowCategory(IEnumerable<CategoryAttribute> categories) => categories.Any(category => SlowCategories.Contains(category.Name));
}
