using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// <c>fwrules aggregate</c> against the oracle: the prefixes of drawn documents at the edges (<see cref="EdgeDocuments"/>: side by
/// side, one address apart, nested, written twice, across families, the ends of the space), every section's together, in the order
/// drawn; what it prints must cover exactly the addresses the oracle (<see cref="AddressSet"/>) reads from the same lines, in as many
/// blocks as the oracle's fewest, one a line, each a block; and with a budget (<c>--max</c>), every one of those addresses in at most
/// that many blocks.
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

    /// <summary>
    /// <c>fwrules aggregate --max N</c> on the same drawn prefixes, N from one prefix per family to a few short of the fewest blocks: what
    /// it prints must cover every input address (a summary widens, never loses), in at most N blocks, and add exactly the addresses
    /// its note says it added, each family counted by the oracle.
    /// </summary>
    [Test]
    public async Task Aggregate_WithABudget_CoversEveryInputAddressInAtMostTheBudgetAddingWhatItSays([Range(1, 10)] int seed)
    {
        var random = new Random(seed);
        (string json, string shapes) = EdgeDocuments.Draw(random, seed);
        JsonObject document = JsonNode.Parse(json)!.AsObject();
        string[] input = [.. DatadogTraffic.Sections(document).SelectMany(s => DatadogTraffic.Prefixes(document, s))];
        AddressSet expected = AddressSet.Of(input);
        int budget = random.Next(2, Math.Max(3, expected.Blocks().Count() - 2));

        ProcessResult result = await FwrulesInProcess.RunAsync(string.Join('\n', input) + "\n", "aggregate", "--max", budget.ToString(CultureInfo.InvariantCulture), "-");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string[] printed = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        AddressSet seen = AddressSet.Of(printed);
        Match added = Regex.Match(result.Error, @"--max added (\d+) IPv4 and (\d+) IPv6 addresses");
        Assert.That(expected.Except(seen).ToString(), Is.Empty, $"--max {budget} lost input addresses ({shapes})");
        Assert.That(printed, Has.Length.LessThanOrEqualTo(budget), $"--max {budget} printed more blocks ({shapes})");
        Assert.That(added.Success, Is.True, $"no note of what --max added: {result.Error}");
        Assert.That((UInt128.Parse(added.Groups[1].Value, CultureInfo.InvariantCulture), UInt128.Parse(added.Groups[2].Value, CultureInfo.InvariantCulture)),
            Is.EqualTo((seen.Count(false) - expected.Count(false), seen.Count(true) - expected.Count(true))), $"what --max {budget} says it added ({shapes})");
    }
}
