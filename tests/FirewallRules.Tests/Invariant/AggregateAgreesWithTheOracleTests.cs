using System.Text.Json.Nodes;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// <c>fwrules aggregate</c> against the oracle: the prefixes of drawn documents at the edges (<see cref="EdgeDocuments"/>: side by
/// side, one address apart, nested, written twice, across families, the ends of the space), every section's together, in the order
/// drawn; what it prints must cover exactly the addresses the oracle (<see cref="AddressSet"/>) reads from the same lines, in as many
/// blocks as the oracle's fewest, one a line, each a block.
/// </summary>
[TestFixture]
public sealed class AggregateAgreesWithTheOracleTests
{
    [Test]
    public async Task Aggregate_PrefixesAtTheEdges_PrintsExactlyTheirAddressesInTheFewestBlocks([Range(1, 20)] int seed)
    {
        (string json, string shapes) = EdgeDocuments.Draw(new Random(seed), seed);
        JsonObject document = JsonNode.Parse(json)!.AsObject();
        string[] input = [.. DatadogTraffic.Sections(document).SelectMany(s => DatadogTraffic.Prefixes(document, s))];

        ProcessResult result = await FwrulesInProcess.RunAsync(string.Join('\n', input) + "\n", "aggregate", "-");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string[] printed = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        AddressSet expected = AddressSet.Of(input), seen = AddressSet.Of(printed);
        Assert.That(seen.Except(expected).ToString(), Is.Empty, $"printed beyond the input ({shapes})");
        Assert.That(expected.Except(seen).ToString(), Is.Empty, $"the input's addresses missing ({shapes})");
        Assert.That(printed, Has.Length.EqualTo(expected.Blocks().Count()), $"not the fewest blocks ({shapes})");
    }
}
