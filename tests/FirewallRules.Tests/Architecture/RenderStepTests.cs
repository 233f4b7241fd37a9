namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Rules are prepared in one place per kind of output (ARCHITECTURE.md, "What a format owns"): the render step for rule
/// sets (<c>PreparedRules.For</c>), the private connectivity render step for plans, and the two incremental updates,
/// which prepare two rule sets. No writer, command or server route prepares rules for a format by name.
/// </summary>
[TestFixture]
public class RenderStepTests
{
    private static readonly string[] Preparers =
    [
        "src/FirewallRules/Emitters/PreparedRules.cs",
        "src/FirewallRules/Emitters/PrivateLinkRendering.cs",
        "src/FirewallRules/Emitters/Nftables/NftablesUpdateWriter.cs",
        "src/FirewallRules/Emitters/Iptables/IpsetUpdateWriter.cs",
    ];

    [Test]
    public void PreparedRulesCreate_IsCalledOnlyByTheRenderStepsAndTheUpdates()
    {
        string[] callers = [.. SourceCode.Files().Where(file => SourceCode.WithoutComments(SourceCode.Read(file)).Contains("PreparedRules.Create(", StringComparison.Ordinal))];

        Assert.That(callers, Is.SubsetOf(Preparers), "prepare through PrivateLinkRendering's render step (an IPlanWriter) or rules.Render");
        Assert.That(callers, Does.Contain("src/FirewallRules/Emitters/PrivateLinkRendering.cs"), "guards the scan against finding nothing");
    }
}
