using System.Reflection;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Each assembly keeps its source-generated log messages (<c>[LoggerMessage]</c>) in one class: .NET 10's generator writes an
/// assembly's classes in an order that varies from build to build (dotnet/runtime#119587), so two classes made two clean
/// builds differ (<c>ReproducibleBuildTests</c>; docs/guides/releasing.md).
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
