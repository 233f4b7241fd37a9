using FirewallRules.Emitters.Aws;
using FirewallRules.PrivateLink;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The terraform outputs with the real terraform 1.11 and the hashicorp/aws 5.100.0 provider (offline mirror): every
/// output passes init, validate and fmt -check; a representative set is applied to moto and read back with the AWS CLI.
/// </summary>
/// <remarks>
/// Applied: v46 then v47 in both directions on the same state (IPv4 and IPv6, three groups, a version change), and
/// v40 in prefix lists beside them, in one state. Each plan or apply starts the 600 MB provider three or four times, a
/// second or more of CPU each, so the other outputs are validated only. v40's lists differ by port (443: 200 IPv4 entries,
/// 10516: logs' 195), beside an IPv6 list of two, as small as any document's that do; later documents need one list per
/// family. v30's 443 list, of the same shapes, is four times longer, and Terraform's handling of a list's entries (a set)
/// cost about 20 s more CPU over the test's commands. Moto's quota counts both families together,
/// which none of these plans exceeds; moto does not weigh a prefix list reference by the list's size, so that part of
/// the quota is proven by our own parse-back only.
/// </remarks>
[TestFixture]
[Order(1)] // Once the longest fixture (about 200 s beside the others), it starts first among the emitters: started in its
           // alphabetical place it was the parallel phase's last fixture, running alone for 34 s.
[Category("RealTools")]
public class TerraformRealToolTests
{
    private static IpRangesDocument Document(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    // Every security-group output the tests know of, and every PrivateLink site and mode.
    private static IEnumerable<(string Name, string Hcl)> EveryOutput()
    {
        foreach (string path in TestData.IpRangesDocuments)
        {
            IpRangesDocument document = IpRangesDocument.Load(path);
            foreach (Direction direction in new[] { Direction.Egress, Direction.Ingress })
            {
                RuleSet rules = RuleSet.All(document, direction);
                yield return ($"{Path.GetFileNameWithoutExtension(path)}-{direction}", rules.ToTerraform(new AwsSecurityGroupOptions { RulesPerGroup = 1000 }));
                yield return ($"{Path.GetFileNameWithoutExtension(path)}-{direction}-lists",
                    rules.ToTerraform(new AwsSecurityGroupOptions { RulesPerGroup = 1000, UsePrefixLists = true, Comments = false }));
            }
        }

        yield return ("v52-logs-default-quota", RuleSet.For(Document(52), Section.Logs).ToTerraform());
        yield return ("v30-agents-budget", RuleSet.For(Document(30), Section.Agents).ToTerraform(new AwsSecurityGroupOptions { MaxPrefixesPerRule = 50, Name = "dd-prod" }));
        foreach (PrivateLinkPlan plan in PrivateLinkPlans.EverySiteAndMode())
        {
            yield return ($"privatelink-{plan.Site.Name}-{plan.Mode}", plan.ToTerraform());
        }
    }

    private static RuleSet BothDirections(IpRangesDocument document) =>
        RuleSet.Create(RuleSet.All(document).Rules.Concat(RuleSet.All(document, Direction.Ingress).Rules), RuleSet.All(document).Provenance);

    [Test]
    public void Terraform_EveryOutput_InitsOfflineValidatesAndIsFormatted()
    {
        (string Name, string Hcl)[] outputs = [.. EveryOutput()];
        using var workspace = new TerraformWorkspace();
        workspace.WriteModules([.. outputs.Select(o => o.Hcl)]);

        workspace.Init();
        ToolResult validated = workspace.Run("validate");
        ToolResult formatted = workspace.Run("fmt", "-check", "-recursive", "-diff");

        Assert.That(validated.Output, Does.Contain("Success! The configuration is valid."));
        Assert.That(formatted.Output, Is.Empty, "terraform fmt would change nothing");
        Assert.That(outputs, Has.Length.GreaterThan(40), "every document, direction and mode");
    }

    [Test]
    public void Terraform_Validate_RefusesABrokenOutput()
    {
        // The proof above can fail: a misspelt argument in one module of many is reported.
        using var workspace = new TerraformWorkspace();
        string broken = RuleSet.For(Document(52), Section.Logs).ToTerraform().Replace("ip_protocol", "ip_protocl", StringComparison.Ordinal);
        workspace.WriteModules([RuleSet.For(Document(52), Section.Webhooks).ToTerraform(), broken]);
        workspace.Init();

        ToolResult validated = workspace.TryRun("validate");

        Assert.That(validated.ExitCode, Is.EqualTo(1));
        Assert.That(validated.Error, Does.Contain("Unsupported argument").And.Contains("ip_protocl"));
    }

    [Test]
    public async Task Terraform_ApplyToMoto_GroupsThroughTheNextVersionAndPrefixListsLeaveExactlyTheRulesAndConverge()
    {
        // One state, one init (each terraform command starts the 600 MB provider and fetches its schema): the groups'
        // output as the root module, v46's rules in both directions (IPv4 and IPv6, three groups) then v47's; beside them
        // in a VPC of their own, v40 in prefix lists as a child module (lists.tf), the way a user may call an output.
        RuleSet older = BothDirections(Document(46));
        RuleSet newer = BothDirections(Document(47));
        RuleSet listed = RuleSet.All(Document(40));
        Assert.That(newer.Prefixes, Is.Not.EqualTo(older.Prefixes), "the versions differ");
        (string groupsVpc, string listsVpc) = (await MotoServer.Shared.CreateVpcAsync(), await MotoServer.Shared.CreateVpcAsync());
        using var workspace = new TerraformWorkspace();
        workspace.UseMoto(MotoServer.Shared);
        workspace.WriteRoot(older.ToTerraform());
        workspace.WriteFile(Path.Combine("lists", "main.tf"), listed.ToTerraform(new AwsSecurityGroupOptions { UsePrefixLists = true, RulesPerGroup = 1000 }));
        workspace.WriteFile("lists.tf", ListsModule);
        workspace.Init();
        (string, string)[] variables = [("datadog_vpc_id", groupsVpc), ("lists_vpc_id", listsVpc)];

        // On the same init: a security group's id in place of the VPC's is refused by the variable's validation, before
        // anything is created.
        ToolResult refused = workspace.TryRun("plan", "-input=false", "-var=datadog_vpc_id=sg-0123456789abcdef0", $"-var=lists_vpc_id={listsVpc}");
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Error, Does.Contain("Invalid value for variable").And.Contains("Give a VPC id: vpc- and 8 or 17 hexadecimal digits."));

        workspace.Apply(variables);
        AwsOutput first = AwsCli.DescribeVpc(groupsVpc);
        AwsAssert.AllowsExactly(first, older);
        AwsAssert.WithinQuota(first, 60);
        Assert.That(first.Rules.Where(r => r.Protocol == "-1"), Is.Empty, "terraform removed AWS's default outbound rule from every group");
        AssertHoldsExactlyTheLists(AwsCli.DescribeVpc(listsVpc, withPrefixLists: true), listed);

        workspace.WriteRoot(newer.ToTerraform());
        workspace.Apply(variables);

        AwsAssert.AllowsExactly(AwsCli.DescribeVpc(groupsVpc), newer);
        Assert.That(workspace.PlanIsEmpty(variables), Is.True, "a second plan finds nothing left to change");
    }

    // The prefix-list output called as a child module, its VPC a variable of the root.
    private const string ListsModule = """
        variable "lists_vpc_id" {
          type = string
        }

        module "lists" {
          source         = "./lists"
          datadog_vpc_id = var.lists_vpc_id
        }

        """;

    private static void AssertHoldsExactlyTheLists(AwsOutput held, RuleSet rules)
    {
        AwsAssert.AllowsExactly(held, rules);
        Assert.That(held.Rules, Has.All.Matches<AwsRule>(r => r.PrefixList is not null), "every rule references a list");
        Assert.That(held.Lists, Has.Count.EqualTo(held.Rules.Select(r => r.PrefixList).Distinct().Count()));
        Assert.That(held.Lists.Where(l => l.Family == "IPv4"), Has.Exactly(2).Items, "the ports' IPv4 lists differ, so a rule on the wrong list shows");
    }
}
