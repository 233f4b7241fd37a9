using System.Text.Json.Nodes;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The account campaign's document generator against the store's shrink rule, read from the documents' JSON: a document the
/// campaign serves must never lose half of a family's logs addresses against any document a runner's cache may still hold (the
/// store rightly refuses that, and the campaign would count the refusal a failed convergence: seed 36 did, at run 15).
/// </summary>
[TestFixture]
public sealed class AwsCampaignLaneTests
{
    private string _work = string.Empty;

    [SetUp]
    public void CreateWorkFolder() => _work = Directory.CreateTempSubdirectory("fwrules-lane-").FullName;

    [TearDown]
    public void RemoveWorkFolder() => Directory.Delete(_work, recursive: true);

    [TestCase(36)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public async Task Next_ARunnerThatStoredOnlyTheFirstDocument_EveryLaterOneKeepsHalfOfEachFamilyOfEveryEarlierOne(int seed)
    {
        await using IpRangesServer mirror = await IpRangesServer.StartAsync(TestData.IpRangesDocuments[^1]);
        var random = new Random(seed);
        AwsCampaignLane lane = AwsCampaignLane.Draw(random, 0, ("aws-prefix-list", "both"), TimeSpan.Zero, mirror, group: null);
        var counts = new List<(int V4, int V6)>();
        for (int step = 0; step < 40; step++)
        {
            lane.Next(random, _work);
            // Runner one stores the first document and fails every run after it; runner two stores every document.
            lane.Stored(["one", "two"], [step == 0 ? 0 : 1, 0]);
            JsonNode logs = JsonNode.Parse(File.ReadAllText(lane.Document))!["logs"]!;
            counts.Add((logs["prefixes_ipv4"]!.AsArray().Count, logs["prefixes_ipv6"]!.AsArray().Count));
        }

        // Each generated prefix is one /32 or one /48, so a family's addresses are its count of prefixes times one size.
        var shrunk = counts.SelectMany((later, j) => counts.Take(j).Select((earlier, i) => (i, j, earlier, later)))
            .Where(p => p.later.V4 * 2 < p.earlier.V4 || p.later.V6 * 2 < p.earlier.V6)
            .Select(p => $"document {p.j} ({p.later}) against {p.i} ({p.earlier})").ToList();
        Assert.That(shrunk, Is.Empty);
        Assert.That(counts.Distinct().Count(), Is.GreaterThan(10), "the windows still move");
    }
}
