using System.Text.Json;
using System.Text.RegularExpressions;
using FirewallRules.PrivateLink;

namespace FirewallRules.Tests.PrivateLink;

/// <summary>The catalog against the data file, the endpoint table and the seed guide, read here without the library.</summary>
[TestFixture]
public class PrivateLinkCatalogTests
{
    private static readonly string[] AllKeys = ["logs-agent", "logs-user", "api", "metrics", "containers", "process", "profiling", "traces", "dbm", "remote-config"];

    [Test]
    public void AwsPrivateLinkSites_AreTheFourDocumentedWithTheirRegions()
    {
        Assert.That(PrivateLinkCatalog.AwsPrivateLinkSites.Select(s => (s.Name.ToLowerInvariant(), PrivateLinkCatalog.For(s)!.Region)),
            Is.EqualTo(PrivateLinkData.AwsSites));
    }

    [Test]
    public void AwsEndpoints_EveryServiceOfEverySite_MatchesTheDataFile()
    {
        var actual = PrivateLinkCatalog.All.Where(o => o.Kind == PrivateConnectivityKind.AwsPrivateLink)
            .SelectMany(o => o.Endpoints.Select(e => (o.Site.Name.ToLowerInvariant(), PrivateLinkCatalog.GetKey(e.Service!.Value), e.Target, e.PrivateDnsName, e.Label)));

        Assert.That(actual, Is.EquivalentTo(PrivateLinkData.AwsServices()));
        Assert.That(PrivateLinkCatalog.AwsPrivateLinkSites.Select(s => PrivateLinkCatalog.For(s)!.Endpoints.Select(e => PrivateLinkCatalog.GetKey(e.Service!.Value))),
            Has.All.EqualTo(AllKeys), "every AWS site offers the ten intakes, in the guide's order");
    }

    [Test]
    public void AwsEndpoints_EveryServiceName_IsAnEndpointServiceInTheSitesRegion()
    {
        foreach (PrivateConnectivity offering in PrivateLinkCatalog.All.Where(o => o.Kind == PrivateConnectivityKind.AwsPrivateLink))
        {
            Assert.That(offering.Endpoints.SelectMany(e => e.Documented).Select(d => d.Target),
                Has.All.Match($"^com\\.amazonaws\\.vpce\\.{Regex.Escape(offering.Region)}\\.vpce-svc-[0-9a-f]{{17}}$"), offering.Site.Name);
            Assert.That(offering.Endpoints.SelectMany(e => e.Documented).Select(d => d.PrivateDnsName), Has.All.EndsWith("." + offering.Site.Domain), offering.Site.Name);
        }
    }

    [Test]
    public void Disagreements_AreExactlyTheThreeDocumented_WithBothValuesAndTheirSources()
    {
        var disagreeing = PrivateLinkCatalog.All
            .SelectMany(o => o.Endpoints.Where(e => e.SourcesDisagree).Select(e => (Site: o.Site.Name.ToLowerInvariant(), Endpoint: e)))
            .ToArray();

        Assert.That(disagreeing.Select(d => (d.Site, PrivateLinkCatalog.GetKey(d.Endpoint.Service!.Value))), Is.EquivalentTo(PrivateLinkData.TableDisagreements.Keys));
        foreach ((string site, PrivateEndpoint endpoint) in disagreeing)
        {
            string key = PrivateLinkCatalog.GetKey(endpoint.Service!.Value);
            (string _, string _, string configName, string configDns, string _) = PrivateLinkData.AwsServices().Single(s => s.Site == site && s.Key == key);
            (string tableName, string tableDns) = PrivateLinkData.TableDisagreements[(site, key)];
            Assert.That(endpoint.Documented, Is.EqualTo(new[]
            {
                new DocumentedEndpoint(configName, configDns, DocumentationSource.RegionsConfig),
                new DocumentedEndpoint(tableName, tableDns, DocumentationSource.EndpointTable),
            }), $"{site} {key}");
            Assert.That(endpoint.From(DocumentationSource.EndpointTable)!.Target, Is.EqualTo(tableName));
        }
    }

    [Test]
    public void EndpointTable_ComparableValues_AgreeWithTheDataFileExceptTheThreeDisagreements()
    {
        // PROVENANCE.md: of the US1 and AP2 values both sources give, 17 agree and 3 differ.
        IReadOnlyList<EndpointTableRow> table = PrivateLinkData.Table();
        var compared = PrivateLinkData.AwsServices()
            .Where(s => s.Site is "us1" or "ap2")
            .Select(s => (
                s.Site, s.Key, s.ServiceName,
                Table: table.Where(r => r.Site == s.Site && (r.Name == s.PrivateDnsName || r.Anchor == s.PrivateDnsName)).Select(r => r.ServiceName).Distinct().Single()))
            .ToArray();

        Assert.That(compared.Where(c => c.ServiceName != c.Table).Select(c => (c.Site, c.Key)), Is.EquivalentTo(PrivateLinkData.TableDisagreements.Keys));
        Assert.That(compared.Count(c => c.ServiceName == c.Table), Is.EqualTo(17));
    }

    [Test]
    public void Uk1_EveryService_IsTheEndpointTablesRowForItsHostname()
    {
        IReadOnlyList<EndpointTableRow> table = PrivateLinkData.Table();
        JsonElement services = PrivateLinkData.Root.GetProperty("aws_privatelink").GetProperty("uk1").GetProperty("services");
        PrivateConnectivity uk1 = PrivateLinkCatalog.For(Site.UK1)!;

        foreach (PrivateEndpoint endpoint in uk1.Endpoints)
        {
            string hostname = services.GetProperty(PrivateLinkCatalog.GetKey(endpoint.Service!.Value).Replace('-', '_')).GetProperty("customer_dns_name").GetString()!;
            EndpointTableRow row = table.Single(r => r.Site == "uk1" && r.Name == hostname);
            Assert.That((endpoint.Target, endpoint.PrivateDnsName, endpoint.Source), Is.EqualTo((row.ServiceName, row.Anchor, DocumentationSource.EndpointTable)), hostname);
            Assert.That(endpoint.SourcesDisagree, Is.False);
        }

        Assert.That(uk1.SupportsCrossRegion, Is.False, "the data documents no cross-region label for UK1");
    }

    [Test]
    public void SitesWithoutAwsPrivateLink_AreTheDataFilesUnsupportedList()
    {
        string[] unsupported = PrivateLinkData.Root.GetProperty("aws_privatelink_unsupported_sites").EnumerateArray().Select(s => s.GetString()!).ToArray();

        Assert.That(Site.All.Except(PrivateLinkCatalog.AwsPrivateLinkSites).Select(s => s.Name.ToLowerInvariant()), Is.EquivalentTo(unsupported));
    }

    [Test]
    public void Us3_OffersAzurePrivateLinkInWestus2_WithTheGuidesAliases()
    {
        PrivateConnectivity us3 = PrivateLinkCatalog.For(Site.US3)!;
        JsonElement data = PrivateLinkData.Root.GetProperty("azure_private_link").GetProperty("us3");

        Assert.That((us3.Kind, us3.Region), Is.EqualTo((PrivateConnectivityKind.AzurePrivateLink, "westus2")));
        Assert.That(us3.Endpoints.Select(e => (e.Label, e.Target, e.PrivateDnsName, e.Source)), Is.EqualTo(data.GetProperty("services").EnumerateArray().Select(s => (
            s.GetProperty("label").GetString(), s.GetProperty("service_alias").GetString(), s.GetProperty("private_dns_name").GetString(), DocumentationSource.AzureGuide))));
        Assert.That(us3.Endpoints.Where(e => e.Service is null).Select(e => e.Label), Is.EqualTo(new[] { "Logs (OTel Collector with Datadog Exporter)" }),
            "every other entry has an AWS counterpart");
        Assert.That(us3.Endpoints.Select(e => e.Target), Has.All.EndWith(".westus2.azure.privatelinkservice"));
    }

    [TestCase("us5", "us-central1", "projects/datadog-prod-us5/regions/us-central1/serviceAttachments/")]
    [TestCase("eu1", "europe-west3", "projects/datadog-prod/regions/europe-west3/serviceAttachments/")]
    public void GcpSites_OfferPrivateServiceConnect_WithTheGuidesTargets(string key, string region, string attachments)
    {
        PrivateConnectivity offering = PrivateLinkCatalog.For(Site.Parse(key))!;
        JsonElement data = PrivateLinkData.Root.GetProperty("gcp_private_service_connect").GetProperty(key);

        Assert.That((offering.Kind, offering.Region), Is.EqualTo((PrivateConnectivityKind.GcpPrivateServiceConnect, region)));
        Assert.That(offering.Endpoints.Select(e => (e.Label, e.Target, e.PrivateDnsName)), Is.EqualTo(data.GetProperty("services").EnumerateArray().Select(s => (
            s.GetProperty("label").GetString(), s.GetProperty("psc_target").GetString(), s.GetProperty("private_dns_name").GetString()))));
        Assert.That(offering.Endpoints.Select(e => e.Target), Has.All.StartWith(attachments));
        Assert.That(offering.Endpoints.Select(e => e.Service), Is.EquivalentTo(Enum.GetValues<DatadogService>().Cast<DatadogService?>()));
    }

    [Test]
    public void FederalSitesAndMirrors_OfferNothing()
    {
        Assert.That(PrivateLinkCatalog.For(Site.US1Fed), Is.Null);
        Assert.That(PrivateLinkCatalog.For(Site.US2Fed), Is.Null);
        Assert.That(PrivateLinkCatalog.For(Site.Custom(new Uri("https://mirror.example/"))), Is.Null);
    }

    [Test]
    public void SeedGuide_ServiceTable_IsTheCatalogsAwsServices()
    {
        // The guide's first table: | Logs (Agent HTTP intake) | {{< region-param key="aws_private_link_logs_agent_service_name" ... >}} |
        string guide = File.ReadAllText(TestData.Path_("seeds", "datadog-aws-privatelink.md"));
        string table = guide[guide.IndexOf("| Datadog ", StringComparison.Ordinal)..guide.IndexOf("4. Click **Verify**", StringComparison.Ordinal)];
        var rows = Regex.Matches(table, """^\| (?<label>[^|]+?) +\| \{\{< region-param key="aws_private_link_(?<key>[a-z_]+)_service_name""", RegexOptions.Multiline)
            .Select(m => (m.Groups["label"].Value, m.Groups["key"].Value.Replace('_', '-')))
            .ToArray();

        Assert.That(rows, Is.EqualTo(PrivateLinkCatalog.For(Site.US1)!.Endpoints.Select(e => (e.Label, PrivateLinkCatalog.GetKey(e.Service!.Value)))));
        Assert.That(guide, Does.Contain(
            """{{% site-region region="us3,us5,eu,gov" %}}""" + "\n" + "<div class=\"alert alert-warning\">Datadog PrivateLink does not support the selected Datadog site."));
        Assert.That(new[] { Site.US3, Site.US5, Site.EU1, Site.US1Fed }.Select(s => PrivateLinkCatalog.For(s)?.Kind), Has.None.EqualTo(PrivateConnectivityKind.AwsPrivateLink));
    }

    [Test]
    public void Cite_NamesTheFileAndCommit()
    {
        Assert.That(PrivateLinkCatalog.Cite(DocumentationSource.RegionsConfig),
            Is.EqualTo("DataDog/documentation assets/scripts/config/regions.config.js @ 02381a4c9407db15706f54614d2afa6f0c73e071"));
        Assert.That(PrivateLinkCatalog.Cite(DocumentationSource.EndpointTable),
            Is.EqualTo("DataDog/documentation content/en/agent/guide/private-link.md (commit not identified)"));
        Assert.That(PrivateLinkCatalog.Notes, Has.Some.Contains("vpce-svc-07895350fd0109264"), "the data file's note on the disagreements");
    }

    [Test]
    public void ServiceKeys_RoundTrip_AndAcceptTheDataFilesSpelling()
    {
        Assert.That(Enum.GetValues<DatadogService>().Select(PrivateLinkCatalog.GetKey), Is.EqualTo(AllKeys));
        Assert.That(AllKeys.Select(k => PrivateLinkCatalog.TryParseService(k, out DatadogService s) ? PrivateLinkCatalog.GetKey(s) : null), Is.EqualTo(AllKeys));
        Assert.That(PrivateLinkCatalog.TryParseService("Remote_Config", out DatadogService remote) && remote == DatadogService.RemoteConfiguration, Is.True);
        Assert.That(PrivateLinkCatalog.TryParseService("synthetics", out _), Is.False);
        Assert.That(PrivateLinkCatalog.TryParseService(null, out _), Is.False);
    }
}
