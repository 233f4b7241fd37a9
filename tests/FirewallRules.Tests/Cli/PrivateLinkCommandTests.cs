using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Gcp;
using FirewallRules.PrivateLink;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary><c>fwrules privatelink</c> and the private connectivity part of <c>fwrules sites</c>, end to end.</summary>
[TestFixture]
public class PrivateLinkCommandTests
{
    private static PrivateLinkPlan Plan(Site site, PrivateLinkMode mode, DocumentationSource? prefer, string agents, string subnets) =>
        PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = site,
            AgentNetworks = PrefixSet.Parse(agents.Replace(',', '\n')),
            EndpointSubnets = PrefixSet.Parse(subnets.Replace(',', '\n')),
            Mode = mode,
            PreferredSource = prefer,
        });

    [Test]
    public async Task Privatelink_RealProcess_WritesWhatTheLibraryRenders()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "privatelink", "--site", "us1", "--agent-network", "10.0.0.0/16",
            "--endpoint-subnet", "10.1.0.0/24,10.1.1.0/24", "--format", "aws-cloudformation", "--prefer", "endpoint-table");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(
            result.Output,
            Is.EqualTo(Plan(Site.US1, PrivateLinkMode.SameRegion, DocumentationSource.EndpointTable, "10.0.0.0/16", "10.1.0.0/24,10.1.1.0/24").ToCloudFormation()));
        Assert.That(result.Error, Is.EqualTo("privatelink: aws-cloudformation for US1 (datadoghq.com), same-region in us-east-1: " +
            "logs-agent, logs-user, api, metrics, containers, process, profiling, traces, dbm, remote-config; 443/tcp from 10.0.0.0/16\n"));
    }

    [Test]
    public async Task Privatelink_PeeredTerraformWithNameAndServices_IsTheLibrarysWithThoseOptions()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "uk1", "-n", "172.16.0.0/12", "-n", "fd00:1::/48",
            "-e", "10.8.0.0/24", "-f", "terraform", "--mode", "peered-vpc", "--service", "metrics", "--service", "logs-agent", "--name", "dd-pl", "-q");

        PrivateLinkPlan plan = PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = Site.UK1,
            AgentNetworks = PrefixSet.Parse("172.16.0.0/12\nfd00:1::/48"),
            EndpointSubnets = PrefixSet.Parse("10.8.0.0/24"),
            Mode = PrivateLinkMode.PeeredVpc,
            Services = [DatadogService.Metrics, DatadogService.LogsAgent],
            AgentRulesCommand = "'fwrules privatelink --agents-only'",
        });
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(plan.ToTerraform(new AwsSecurityGroupOptions { Name = "dd-pl" })));
        Assert.That(result.Error, Is.Empty, "--quiet");
    }

    [TestCase("aws-cloudformation", "privatelink-cloudformation", "ap2-peered-vpc.json")]
    [TestCase("terraform", "privatelink-terraform", "ap2-peered-vpc.tf")]
    public async Task Privatelink_PeeredVpc_WritesTheReviewedOutputNamingTheCommandForTheAgentsRules(string format, string folder, string file)
    {
        // The library names no flag (it takes the command from its caller): the reviewed output is what this command writes.
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "ap2", "-n", "172.16.0.0/12", "-e", "10.8.0.0/24", "-f", format,
            "--mode", "peered-vpc", "--prefer", "endpoint-table", "--service", "logs-agent", "--service", "logs-user", "--service", "metrics", "--service", "traces", "-q");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("render them with 'fwrules privatelink --agents-only' (PrivateLinkPlan.AgentRules)."));
        GoldenFile.AssertMatches(result.Output, folder, file);
    }

    [Test]
    public async Task Privatelink_AgentsOnly_RendersTheAgentsEgressAlone()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "uk1", "-n", "172.16.0.0/12", "-e", "10.8.0.0/24,10.8.1.0/24",
            "-f", "aws-cloudformation", "--mode", "peered-vpc", "--agents-only");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        AwsAssert.AllowsExactly(
            AwsOutput.FromCloudFormation(result.Output), Plan(Site.UK1, PrivateLinkMode.PeeredVpc, null, "172.16.0.0/12", "10.8.0.0/24,10.8.1.0/24").AgentRules);
        Assert.That(result.Output, Does.Not.Contain("AWS::EC2::VPCEndpoint").And.Not.Contain("172.16.0.0/12"));
        Assert.That(result.Error, Does.Contain("the agents' egress to 10.8.0.0/23 on 443/tcp"));
    }

    [Test]
    public async Task Privatelink_AwsSgWhereSourcesDisagree_NeedsNoChoice()
    {
        // The rules do not name endpoint services, so the disagreement does not stand in their way.
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "us1", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "aws-sg");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(Plan(Site.US1, PrivateLinkMode.SameRegion, null, "10.0.0.0/16", "10.1.0.0/24").Rules
            .ToAwsSecurityGroup(new AwsSecurityGroupOptions { Name = PrivateLinkRendering.DefaultName })));
    }

    [TestCase("aws-cloudformation")]
    [TestCase("terraform")]
    public async Task Privatelink_SourcesDisagreeAndNoPrefer_ExitsOneWithBothValuesAndWritesNothing(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "ap2", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", format);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith("fwrules: Datadog's documentation sources disagree on the endpoint service for metrics (")
            .And.Contain("vpce-svc-0c26ca335d93a68b5").And.Contain("vpce-svc-06a30d6a016b746ff").And.Contain("--prefer endpoint-table"));
    }

    [TestCase("gov", "US1-FED (ddog-gov.com) does not offer AWS PrivateLink.")]
    [TestCase("us2-fed", "US2-FED (us2.ddog-gov.com) does not offer AWS PrivateLink.")]
    public async Task Privatelink_SiteWithoutPrivateConnectivity_ExitsOneNamingTheSitesThatHaveIt(string site, string refusal)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", site, "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith("fwrules: " + refusal).And.Contain("AWS PrivateLink: US1 (us-east-1), AP1 (ap-northeast-1), AP2 (ap-southeast-2), UK1 (eu-west-2)")
            .And.Contain("Azure Private Link: US3 (westus2)"));
    }

    [Test]
    public async Task Privatelink_Us3Terraform_IsTheLibrarysAzurePlanWithTheChosenRecords()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "us3", "-n", "10.0.0.0/16", "-n", "10.2.0.0/16",
            "-f", "terraform", "--zone-records", "wildcard-and-apex");

        AzurePrivateLinkPlan plan = AzurePrivateLinkPlan.Create(new AzurePrivateLinkOptions
        {
            Site = Site.US3,
            AgentNetworks = PrefixSet.Parse("10.0.0.0/16\n10.2.0.0/16"),
            ZoneRecords = AzureZoneRecords.WildcardAndApex,
        });
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(plan.ToTerraform()));
        Assert.That(result.Output, Does.Contain("azurerm_private_endpoint").And.Contain("azurerm_private_dns_a_record"));
        Assert.That(result.Error, Does.StartWith("privatelink: terraform for US3 (us3.datadoghq.com), Azure Private Link in westus2: ")
            .And.EndWith("; 443/tcp from 10.0.0.0/16, 10.2.0.0/16\n"));
    }

    [Test]
    public async Task Privatelink_Us3WithoutZoneRecords_ExitsOneNamingTheOptionsChoices()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "us3", "-n", "10.0.0.0/16", "-f", "terraform");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith("fwrules: Datadog's guides differ on the records of ")
            .And.Contain("--zone-records wildcard,").And.Contain("--zone-records wildcard-and-apex").And.Not.Contain("AzureZoneRecords"));
        Assert.That(result.Error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Privatelink_Us3AzureNsg_RendersTheEndpointsNsgWithoutAZoneChoice()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "us3", "-n", "10.0.0.0/16", "-f", "azure-nsg", "--name", "dd-pl", "-q");

        AzurePrivateLinkPlan plan = AzurePrivateLinkPlan.Create(new AzurePrivateLinkOptions { Site = Site.US3, AgentNetworks = PrefixSet.Parse("10.0.0.0/16") });
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(plan.Rules.ToAzureCli(new AzureNsgOptions { Name = "dd-pl" })));
        Assert.That(result.Error, Is.Empty);
    }

    [TestCase("azure-arm")]
    [TestCase("BICEP")]
    public async Task Privatelink_Us3ArmOrBicep_IsTheLibrarysWholeAzurePlan(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "us3", "-n", "10.0.0.0/16", "-f", format,
            "--zone-records", "wildcard", "--service", "api", "--name", "dd-pl");

        AzurePrivateLinkPlan plan = AzurePrivateLinkPlan.Create(new AzurePrivateLinkOptions
        {
            Site = Site.US3,
            AgentNetworks = PrefixSet.Parse("10.0.0.0/16"),
            Services = [DatadogService.Api],
            ZoneRecords = AzureZoneRecords.Wildcard,
        });
        var options = new AzureNsgOptions { Name = "dd-pl" };
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(format == "azure-arm" ? plan.ToAzureArm(options) : plan.ToBicep(options)), "the format name is case-insensitive");
        Assert.That(result.Output, Does.Contain("Microsoft.Network/privateEndpoints").And.Contain("Microsoft.Network/privateDnsZones/A"));
        Assert.That(result.Error, Does.StartWith(
            $"privatelink: {format.ToLowerInvariant()} for US3 (us3.datadoghq.com), Azure Private Link in westus2: api; 443/tcp from 10.0.0.0/16"));
    }

    [TestCase("terraform")]
    [TestCase("terraform-gcp")]
    public async Task Privatelink_Us5Terraform_IsTheLibrarysPrivateServiceConnectPlan(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "us5", "-e", "10.20.0.0/24", "-f", format);

        PrivateServiceConnectPlan plan = PrivateServiceConnectPlan.Create(new PrivateServiceConnectOptions { Site = Site.US5, EndpointSubnets = PrefixSet.Parse("10.20.0.0/24") });
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(plan.ToTerraform()));
        Assert.That(result.Error, Does.StartWith($"privatelink: {format} for US5 (us5.datadoghq.com), Private Service Connect in us-central1: ")
            .And.EndWith("; the agents' egress to 10.20.0.0/24 on 443/tcp\n"));
    }

    [Test]
    public async Task Privatelink_Eu1Gcloud_IsTheLibrarysScriptWithNetworkTargetsAndGlobalAccess()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "privatelink", "--site", "eu1", "-e", "10.20.0.0/24", "-f", "gcp-firewall", "--service", "metrics", "--service", "traces",
            "--global-access", "--network", "prod", "--target-tag", "datadog-agent", "--name", "dd-psc");

        PrivateServiceConnectPlan plan = PrivateServiceConnectPlan.Create(new PrivateServiceConnectOptions
        {
            Site = Site.EU1,
            EndpointSubnets = PrefixSet.Parse("10.20.0.0/24"),
            Services = [DatadogService.Metrics, DatadogService.Traces],
            GlobalAccess = true,
        });
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(plan.ToGcloud(new GcpFirewallOptions { Name = "dd-psc", Network = "prod", TargetTags = ["datadog-agent"] })));
        Assert.That(result.Output, Does.Contain("--allow-psc-global-access").And.Contain("network=prod\n"));
        Assert.That(result.Error, Does.Contain("Private Service Connect in europe-west3 with global access: metrics, traces;"));
    }

    [TestCase("us3", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform", "--endpoint-subnet does not apply to Azure Private Link (US3)")]
    [TestCase("us3", "-n", "10.0.0.0/16", "-f", "terraform", "--mode", "peered-vpc", "--mode does not apply to Azure Private Link (US3)")]
    [TestCase("us3", "-f", "terraform", "--agent-network is required for Azure Private Link (US3)")]
    [TestCase("us3", "-n", "10.0.0.0/16", "-f", "gcp-firewall", "--format gcp-firewall: Azure Private Link (US3) renders as terraform, azure-arm, azure-nsg, bicep")]
    [TestCase("eu1", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform", "--agent-network does not apply to Google Cloud Private Service Connect (EU1)")]
    [TestCase("eu1", "-f", "terraform", "--endpoint-subnet is required for Google Cloud Private Service Connect (EU1)")]
    [TestCase("us5", "-e", "10.1.0.0/24", "-f", "aws-sg", "--format aws-sg: Google Cloud Private Service Connect (US5) renders as terraform, gcp-firewall, terraform-gcp")]
    [TestCase("us5", "-e", "10.1.0.0/24", "-f", "terraform", "--network", "Prod", "--network 'Prod' is not a network name")]
    [TestCase("us1", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform", "--zone-records", "wildcard", "--zone-records does not apply to AWS PrivateLink (US1)")]
    [TestCase("us1", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform", "--global-access", "--global-access does not apply to AWS PrivateLink (US1)")]
    [TestCase("us1", "-e", "10.1.0.0/24", "-f", "terraform", "--agent-network is required for AWS PrivateLink (US1)")]
    public async Task Privatelink_OptionTheSitesKindDoesNotTake_ExitsTwoWithOneLine(params string[] args)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["privatelink", "--site", .. args[..^1]]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error.Split('\n')[0], Does.StartWith("fwrules: ").And.Contain(args[^1]), result.Error);
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [TestCase("10.0.0.1/16", "10.1.0.0/24", "host bits", 2)]
    [TestCase("010.0.0.0/16", "10.1.0.0/24", "010.0.0.0/16", 2)]
    [TestCase("10.0.0.0/16", "0.0.0.0/0", "endpoint subnet 0.0.0.0/0 is wider than /16", 1)]
    [TestCase("3.233.144.0/20", "10.1.0.0/24", "overlaps Datadog's public ranges", 1)]
    public async Task Privatelink_BadNetwork_WritesNothing_AnUnreadableOneIsAUsageError(string agents, string subnets, string reason, int exitCode)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "privatelink", "--site", "ap1", "-n", agents, "-e", subnets, "-f", "aws-cloudformation");

        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain(reason));
    }

    [TestCase("privatelink", "--site", "us1", "-e", "10.1.0.0/24", "-f", "terraform")]
    [TestCase("privatelink", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform")]
    [TestCase("privatelink", "--site", "us1", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "nftables")]
    [TestCase("privatelink", "--site", "us1", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform", "--service", "synthetics")]
    [TestCase("privatelink", "--site", "us1", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform", "--mode", "transit-gateway")]
    [TestCase("privatelink", "--site", "us1", "-n", "10.0.0.0/16", "-e", "10.1.0.0/24", "-f", "terraform", "--prefer", "newest")]
    public async Task Privatelink_UsageError_ExitsTwo(params string[] args)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task Sites_Us1_ListsBothValuesWhereTheSourcesDisagree()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "sites", "us1");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        string[] lines = result.Output.Split('\n');
        Assert.That(lines[0], Is.EqualTo("US1 (datadoghq.com): AWS PrivateLink in us-east-1"));
        Assert.That(lines, Has.Some.Match(@"^api +com\.amazonaws\.vpce\.us-east-1\.vpce-svc-064ea718f8d0ead77 +api\.datadoghq\.com +regions\.config\.js \(sources disagree\)$"));
        Assert.That(lines, Has.Some.Match(
            @"^ +com\.amazonaws\.vpce\.us-east-1\.vpce-svc-07895350fd0109264 +orchid\.intake\.datadoghq\.com +the VPC endpoint service table \(sources disagree\)$"));
        Assert.That(lines, Has.Some.Match(@"^metrics +com\.amazonaws\.vpce\.us-east-1\.vpce-svc-09a8006e245d1e7b8 +metrics\.agent\.datadoghq\.com +regions\.config\.js$"));
        Assert.That(lines.Count(l => l.Contains("(sources disagree)", StringComparison.Ordinal)), Is.EqualTo(4), "api and traces, two values each");
        Assert.That(result.Output, Does.Contain("regions.config.js: DataDog/documentation assets/scripts/config/regions.config.js @ 02381a4c9407db15706f54614d2afa6f0c73e071\n"));
    }

    // Per site, the formats the suggestion names and what shows each holds the whole plan (its endpoints), not its rules only.
    [TestCase("us1", new[] { "aws-cloudformation", "terraform" }, new[] { "\"AWS::EC2::VPCEndpoint\"", "resource \"aws_vpc_endpoint\"" })]
    [TestCase("ap1", new[] { "aws-cloudformation", "terraform" }, new[] { "\"AWS::EC2::VPCEndpoint\"", "resource \"aws_vpc_endpoint\"" })]
    [TestCase("us3", new[] { "terraform", "azure-arm", "bicep" },
        new[] { "resource \"azurerm_private_endpoint\"", "\"Microsoft.Network/privateEndpoints\"", "Microsoft.Network/privateEndpoints@2024-05-01'" })]
    [TestCase("us5", new[] { "terraform", "gcp-firewall" }, new[] { "resource \"google_compute_forwarding_rule\"", "gcloud compute forwarding-rules create" })]
    [TestCase("eu1", new[] { "terraform", "gcp-firewall" }, new[] { "resource \"google_compute_forwarding_rule\"", "gcloud compute forwarding-rules create" })]
    public async Task Sites_SuggestedCommand_NamesEveryWholePlanFormatAndRunsAsPrintedInEach(string site, string[] formats, string[] wholePlan)
    {
        ProcessResult sites = await FwrulesInProcess.RunAsync(null, "sites", site);
        string suggested = sites.Output.Split('\n').Single(line => line.StartsWith("Generate: fwrules ", StringComparison.Ordinal))["Generate: fwrules ".Length..];
        string[] words = suggested.Replace("--agent-network PREFIX", "--agent-network 10.0.0.0/16", StringComparison.Ordinal)
            .Replace("--endpoint-subnet PREFIX", "--endpoint-subnet 10.1.0.0/24", StringComparison.Ordinal).Split(' ');
        int format = Array.IndexOf(words, "--format") + 1;

        Assert.That(words[format].Split('|'), Is.EqualTo(formats), suggested);
        for (int i = 0; i < formats.Length; i++)
        {
            // One of each a|b, as a user would pick: this format, and the first of any other choice.
            string[] args = [.. words.Select((word, at) => at == format ? formats[i] : word.Split('|')[0])];

            ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

            Assert.That(result.ExitCode, Is.EqualTo(0), $"{string.Join(' ', args)}\n{result.Error}");
            Assert.That(result.Output, Does.Contain(wholePlan[i]), string.Join(' ', args));
        }
    }

    [Test]
    public async Task Sites_Us3_ListsTheAzurePrivateLinkAliases()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sites", "us3.datadoghq.com");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith("US3 (us3.datadoghq.com): Azure Private Link in westus2\nSERVICE "));
        Assert.That(result.Output.Split('\n'), Has.Some.Match(
            @"^API +api-pl-1\.0962d6fc-b0c4-40f5-9f38-4e9b59ea1ba5\.westus2\.azure\.privatelinkservice +api\.us3\.datadoghq\.com +the Azure Private Link guide$"));
        Assert.That(result.Output, Does.Contain(
            "Generate: fwrules privatelink --site us3 --agent-network PREFIX --zone-records wildcard|wildcard-and-apex --format terraform|azure-arm|bicep\n"));
    }

    [TestCase("eu1", "EU1 (datadoghq.eu): Google Cloud Private Service Connect in europe-west3", "projects/datadog-prod/regions/europe-west3/serviceAttachments/nlb-api-psc")]
    [TestCase(
        "us5", "US5 (us5.datadoghq.com): Google Cloud Private Service Connect in us-central1",
        "projects/datadog-prod-us5/regions/us-central1/serviceAttachments/nlb-api-psc")]
    public async Task Sites_GcpSite_ListsThePrivateServiceConnectTargets(string site, string heading, string apiTarget)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sites", site);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith(heading + "\n"));
        Assert.That(result.Output, Does.Contain(apiTarget));
        Assert.That(result.Output, Does.Contain($"Generate: fwrules privatelink --site {site} --endpoint-subnet PREFIX --format terraform|gcp-firewall\n"));
    }

    [Test]
    public async Task Sites_FederalSite_SaysNothingIsOfferedAndWhereItIs()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sites", "us2-fed");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo("US2-FED (us2.ddog-gov.com) offers no private connectivity in Datadog's documentation.\n" +
            "Private connectivity by site: AWS PrivateLink: US1 (us-east-1), AP1 (ap-northeast-1), AP2 (ap-southeast-2), UK1 (eu-west-2); " +
            "Azure Private Link: US3 (westus2); Google Cloud Private Service Connect: US5 (us-central1), EU1 (europe-west3).\n"));
    }

    [TestCase("sites", "us4")]
    [TestCase("sites", "https://mirror.example/")]
    public async Task Sites_NotADatadogSite_ExitsTwo(params string[] args)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("is not a Datadog site"));
    }

    [Test]
    public async Task Help_Privatelink_HasExamples()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "privatelink", "--help");

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Output, Does.Contain("Examples:").And.Contain("--prefer").And.Contain("--agents-only").And.Contain("--zone-records").And.Contain("--global-access"));
    }
}
