using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// The other verbs never load the web stack: <c>strace</c> lists every file the built tool opens, and neither
/// the server's assembly nor any of ASP.NET Core's is among them unless the verb is <c>serve</c>.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeIsolationTests
{
    [TestCase("generate --section logs --format nftables")]
    [TestCase("generate --section logs --format list --input {v52}")]
    [TestCase("aggregate {prefixes}")]
    [TestCase("aggregate {prefixes} --max 2")]
    [TestCase("serve --help")]
    public void Verb_OtherThanServe_OpensNoWebAssembly(string command)
    {
        IReadOnlyList<string> opened = OpenedAssemblies(command);

        Assert.That(opened, Has.Some.EndsWith("/fwrules.dll"), "strace saw the tool load its own assembly");
        Assert.That(opened, Has.None.Contains("FirewallRules.Server").And.None.Contains("Microsoft.AspNetCore"));
    }

    [Test]
    public void Serve_OpensTheServerAndAspNetCore()
    {
        // Exits with a usage error once the server has read its settings: far enough to load it.
        IReadOnlyList<string> opened = OpenedAssemblies("serve --site us1 --site eu1 --base-url http://127.0.0.1:9/");

        Assert.That(opened, Has.Some.EndsWith("/FirewallRules.Server.dll"));
        Assert.That(opened, Has.Some.Contains("Microsoft.AspNetCore"));
    }

    /// <summary>The .dll files the built tool opens while it runs <paramref name="command"/>.</summary>
    private static IReadOnlyList<string> OpenedAssemblies(string command)
    {
        string strace = ExternalTool.Command("strace");
        string work = Directory.CreateTempSubdirectory("fwrules-strace-").FullName;
        try
        {
            string prefixes = Path.Combine(work, "prefixes.txt");
            File.WriteAllText(prefixes, "192.0.2.0/25\n192.0.2.128/25\n2001:db8::/33\n");
            string trace = Path.Combine(work, "trace");
            string[] args = [.. command.Replace("{v52}", FetchTesting.Document(52), StringComparison.Ordinal).Replace("{prefixes}", prefixes, StringComparison.Ordinal).Split(' ')];

            ToolResult run = ExternalTool.Run(strace, ["-f", "-e", "trace=openat", "-o", trace, FwrulesProcess.FrameworkDependentTool, .. args]);

            Assert.That(run.ExitCode, Is.EqualTo(command.StartsWith("serve --site", StringComparison.Ordinal) ? 2 : 0), run.Error);
            return [.. File.ReadAllLines(trace).Where(line => line.Contains(".dll\"", StringComparison.Ordinal) && !line.Contains("ENOENT", StringComparison.Ordinal))
                .Select(line => line.Split('"')[1])];
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
