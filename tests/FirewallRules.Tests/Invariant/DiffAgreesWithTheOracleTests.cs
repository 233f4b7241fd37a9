using System.Text.Json.Nodes;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// <c>fwrules diff --format json</c> against the oracle: a drawn document at the edges (<see cref="EdgeDocuments"/>) and its next
/// version, each prefix kept, dropped, narrowed to a block inside it, or widened by a bit, so that what one version subtracts from the
/// other ends inside, at the end of and past a block of it; every section's added and removed addresses, per family, must be exactly
/// the difference of the two versions' addresses as the oracle (<see cref="AddressSet"/>) reads them from the JSON alone.
/// </summary>
[TestFixture]
public sealed class DiffAgreesWithTheOracleTests
{
    [Test]
    public async Task Diff_ToANextVersionNarrowedAndWidened_ReportsExactlyTheAddressesAddedAndRemoved([Range(1, 10)] int seed)
    {
        var random = new Random(seed);
        (string json, string shapes) = EdgeDocuments.Draw(random, 100);
        JsonObject older = JsonNode.Parse(json)!.AsObject(), newer = Next(older, random);
        using var files = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "diff", "--format", "json",
            files.Write("older.json", older.ToJsonString()), files.Write("newer.json", newer.ToJsonString()));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        JsonArray changed = JsonNode.Parse(result.Output)!["sections"]!.AsArray();
        foreach (string section in EdgeDocuments.Sections)
        {
            AddressSet before = DatadogTraffic.Addresses(older, section), after = DatadogTraffic.Addresses(newer, section);
            JsonNode? reported = changed.FirstOrDefault(s => s!["name"]!.GetValue<string>() == section);
            foreach ((string family, bool v6) in new[] { ("ipv4", false), ("ipv6", true) })
            {
                string context = $"{section} {family}, seed {seed}:\n{shapes}\nnext: {newer[section]!.ToJsonString()}";
                Assert.That(Read(reported?[family]?["added"]), Is.EqualTo(after.Except(before).Family(v6)), $"added ({context})");
                Assert.That(Read(reported?[family]?["removed"]), Is.EqualTo(before.Except(after).Family(v6)), $"removed ({context})");
            }
        }
    }

    private static AddressSet Read(JsonNode? prefixes) => AddressSet.Of((prefixes?.AsArray() ?? []).Select(p => p!.GetValue<string>()));

    // The next version: each prefix kept, dropped, narrowed to a block inside it (first, middle or last) or widened by a bit, in a
    // copy of the document one version on.
    private static JsonObject Next(JsonObject older, Random random)
    {
        JsonObject newer = older.DeepClone().AsObject();
        newer["version"] = older["version"]!.GetValue<long>() + 1;
        foreach (string section in EdgeDocuments.Sections)
        {
            foreach (string key in new[] { "prefixes_ipv4", "prefixes_ipv6" })
            {
                string[] prefixes = [.. older[section]![key]!.AsArray().Select(p => p!.GetValue<string>())];
                newer[section]![key] = new JsonArray([.. prefixes.SelectMany(p => Change(p, random)).Select(p => JsonValue.Create(p))]);
            }
        }

        return newer;
    }

    private static IEnumerable<string> Change(string prefix, Random random)
    {
        AddressSet.Span block = AddressSet.Block(prefix);
        int bits = block.V6 ? 128 : 32, length = int.Parse(prefix[(prefix.IndexOf('/', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        switch (random.Next(4))
        {
            case 0:
                return [prefix];
            case 1:
                return [];
            case 2 when length < bits:
                // A block 1 to 4 bits longer, at a random place inside: the first, one in the middle or the last.
                int inner = Math.Min(bits, length + random.Next(1, 5));
                UInt128 place = (UInt128)random.NextInt64(1L << (inner - length));
                return [$"{AddressSet.Address(block.First + (place << (bits - inner)), block.V6)}/{inner}"];
            case 3 when length > (block.V6 ? 48 : 16):
                // Its parent: the block and the one beside it.
                return [$"{AddressSet.Address(block.First & ~((UInt128.One << (bits - length + 1)) - 1), block.V6)}/{length - 1}"];
            default:
                return [prefix, prefix];
        }
    }
}
