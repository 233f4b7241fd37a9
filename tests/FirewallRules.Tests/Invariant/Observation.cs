using System.Net;
using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// What the observer's sets held after a batch (<c>nft -j list table inet probe-observer</c>): the packets that left (with their mark),
/// those that reached the end of the input hook, and those that arrived at all.
/// </summary>
internal sealed class Observation
{
    private readonly Dictionary<string, SortedSet<int>> _sent = [];
    private readonly HashSet<string> _admitted = [], _arrived = [];

    /// <summary>Whether a packet with this ingress key reached prerouting.</summary>
    public bool Arrived(string key) => _arrived.Contains(key);

    /// <summary>Whether a packet with this key (destination, protocol, port) left through postrouting.</summary>
    public bool Left(string sentKey) => _sent.ContainsKey(sentKey);

    /// <summary>Reads the sets from nft's JSON.</summary>
    public static Observation Parse(string json)
    {
        var observation = new Observation();
        foreach (JsonNode? item in JsonNode.Parse(json)!["nftables"]!.AsArray())
        {
            if (item?["set"] is not JsonObject set)
            {
                continue;
            }

            string name = set["name"]!.GetValue<string>();
            foreach (JsonNode? element in set["elem"]?.AsArray() ?? [])
            {
                JsonArray parts = (element!["concat"] ?? element["elem"]!["val"]!["concat"])!.AsArray();
                bool sent = name.StartsWith("sent", StringComparison.Ordinal);
                int protocol = sent ? 1 : 2;
                string[] values = [.. parts.Select((part, i) => i < protocol ? Address(part) : i == protocol ? Protocol(part) : Number(part))];
                if (sent)
                {
                    string key = string.Join(' ', values[..3]);
                    SortedSet<int> marks = observation._sent.TryGetValue(key, out SortedSet<int>? known) ? known : observation._sent[key] = [];
                    marks.Add(int.Parse(values[3], System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    (name.StartsWith("admitted", StringComparison.Ordinal) ? observation._admitted : observation._arrived).Add(string.Join(' ', values));
                }
            }
        }

        return observation;
    }

    /// <summary>What happened to <paramref name="probe"/>: for egress, whether it left and with which mark; for a client, whether it got in.</summary>
    public string Seen(Probe probe)
    {
        if (probe.Side != ProbeSide.Egress)
        {
            return Describe(_admitted.Contains(probe.Key) ? Outcome.Admitted : Outcome.Dropped);
        }

        return _sent.TryGetValue(probe.Key, out SortedSet<int>? marks)
            ? string.Join(" and ", marks.Select(mark => mark switch { 0 => Describe(Outcome.Admitted), 1 => Describe(Outcome.AdmittedByLoopbackPolicy), _ => $"mark {mark}" }))
            : Describe(Outcome.Dropped);
    }

    /// <summary>The words of an outcome, as <see cref="Seen"/> prints it.</summary>
    public static string Describe(Outcome outcome) => outcome switch
    {
        Outcome.Admitted => "admitted",
        Outcome.AdmittedByLoopbackPolicy => "admitted by the policy's loopback exception (the output returned it)",
        _ => "dropped",
    };

    // Addresses in .NET's form (the probes' keys), protocols by name, numbers as numbers.
    private static string Address(JsonNode? node) => IPAddress.Parse(node!.GetValue<string>()).ToString();

    private static string Protocol(JsonNode? node) => Number(node) switch
    {
        "6" => "tcp",
        "17" => "udp",
        var name => name,
    };

    private static string Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out int number) ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : node!.GetValue<string>();
}
