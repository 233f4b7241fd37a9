namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Rules are prepared in one place per kind of output (ARCHITECTURE.md, "What a format owns"): the render step for rule
/// sets (<c>RuleSetRendering</c>: whole outputs, incremental updates and the ipset sync backend's pieces, all through
/// <c>PreparedRules.For</c>), and the private connectivity render step for plans. No writer, update, backend, command or
/// server route prepares rules itself.
/// </summary>
[TestFixture]
public class RenderStepTests
{
    [Test]
    public void PreparedRulesCreate_IsCalledOnlyByTheRenderSteps()
    {
        string[] callers = Callers("PreparedRules.Create(");

        Assert.That(callers, Is.SubsetOf(new[] { "src/FirewallRules/Emitters/PreparedRules.cs", "src/FirewallRules/Emitters/PrivateLinkRendering.cs" }),
            "prepare through PrivateLinkRendering's render step (an IPlanWriter) or rules.Render");
        Assert.That(callers, Does.Contain("src/FirewallRules/Emitters/PrivateLinkRendering.cs"), "guards the scan against finding nothing");
    }

    [Test]
    public void PreparedRulesFor_IsCalledOnlyByTheRuleSetRenderStep()
    {
        string[] callers = Callers("PreparedRules.For(");

        Assert.That(callers, Is.EqualTo(new[] { "src/FirewallRules/Emitters/RuleSetRendering.cs" }),
            "updates go through rules.RenderUpdate, a backend loading pieces through rules.Render(emitter, plan)");
    }

    private static string[] Callers(string call) =>
        [.. SourceCode.Files().Where(file => SourceCode.WithoutComments(SourceCode.Read(file)).Contains(call, StringComparison.Ordinal))];
}
