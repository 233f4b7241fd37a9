using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// The aws-sg script's groups as an AWS account stores them: for the smallest drawn rule set (the CI size: each AWS CLI call is a
/// process; <c>FWRULES_INVARIANT_PLANS</c> draws more), the unmodified script runs with bash and the real AWS CLI against moto on new groups,
/// the groups are read back with <c>describe-security-groups</c> (AWS's default outbound rule included where it stays), and every
/// probe around and outside the plan gets the answer the model gives, as <see cref="AdmissionInvariantTests"/> judges the rendered
/// script. What this adds: what the account holds after the calls, not what the calls say.
/// </summary>
[TestFixture]
[Category("Aws")]
public sealed class AwsAccountAdmissionTests
{
    [Test]
    public async Task AwsSg_SmallestDrawnPlanRunAgainstMoto_GroupsAsStoredAdmitExactlyThePlan()
    {
        using var files = new TempFiles();
        List<AdmissionInvariantTests.Drawn> drawn = AdmissionInvariantTests.Draw(AdmissionInvariantTests.Seed, 1, AdmissionInvariantTests.Plans, files.DirectoryPath);
        AdmissionInvariantTests.Drawn[] smallest = [drawn.MinBy(d => d.Model.Rules.Sum(r => r.Prefixes.Count))!];
        var admissions = new List<Admission>();
        foreach (AdmissionInvariantTests.Drawn plan in smallest)
        {
            string script = plan.Case.Render("aws-sg");
            Dictionary<string, string> groups = await AwsCli.CreateGroupsForAsync(script);
            ToolResult run = AwsCli.RunScript(script, groups);
            Assert.That(run.ExitCode, Is.Zero, $"{plan.Case}: {run.Error}");
            admissions.Add(new SecurityGroupAdmission(AwsCli.Describe(groups.Values)));
        }

        List<string> failures = AdmissionInvariantTests.Judge("aws-sg (moto)", smallest, admissions, out int judged, out int admitted);

        TestContext.Out.WriteLine($"aws-sg in moto: seed {AdmissionInvariantTests.Seed}, {smallest.Length} plans, {judged} probes judged ({admitted} admitted)");
        Assert.That(admitted, Is.Positive, "no probe was admitted: the probes do not reach the plan");
        Assert.That(failures, Is.Empty, "the account admits other than the plan");
    }
}
