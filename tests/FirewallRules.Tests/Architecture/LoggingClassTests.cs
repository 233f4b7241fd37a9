using System.Reflection;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Each assembly keeps its source-generated log messages (<c>[LoggerMessage]</c>) in one class: .NET 10's generator writes an
/// assembly's classes in an order that varies from build to build (dotnet/runtime#119587), so clean builds differ
/// (<c>ReproducibleBuildTests</c>; docs/guides/releasing.md). FirewallRules.Server.dll, four clean builds of the project each
/// (2026-11-30): the layout before <c>ServerLog</c>, three nested classes each named <c>Log</c>, made 4 different DLLs in 4;
/// two nested <c>Log</c> classes, 2 in 4; three top-level classes of different names, and <c>ServerLog</c> alone, 1 in 4.
/// One class is the rule, which needs no theory of what makes the order vary.
/// </summary>
[TestFixture]
public sealed class LoggingClassTests
{
    [TestCase("FirewallRules")]
    [TestCase("FirewallRules.Server")]
    [TestCase("fwrules")]
    [TestCase("FirewallRules.Aws")]
    [TestCase("FirewallRules.IPNetwork2")]
    public void GeneratedLogMessages_AreInOneClassAtMost(string assembly)
    {
        string[] classes = [.. Assembly.Load(assembly).GetTypes()
            .Where(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(method => method.IsDefined(typeof(LoggerMessageAttribute))))
            .Select(type => type.FullName!)
            .Order(StringComparer.Ordinal)];

        Assert.That(classes, Has.Length.AtMost(1), $"classes of {assembly} with [LoggerMessage] methods: keep them in one");
    }
}
