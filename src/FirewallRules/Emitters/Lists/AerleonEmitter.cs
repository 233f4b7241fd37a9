namespace FirewallRules.Emitters.Lists;

/// <summary>
/// <c>aerleon</c>: network definitions in Aerleon's YAML form (a <c>networks:</c> map of names, each with a
/// <c>values:</c> list of <c>address:</c> or <c>name:</c> items), one network per site and section (see
/// <see cref="NetworkDefinitions"/>), for Aerleon's generators. Every scalar is double-quoted, so no YAML reader
/// takes a name or an address for another type. The provenance comes first as <c>#</c> lines when comments are on.
/// </summary>
/// <remarks>Ports, directions and actions are not part of a definition: the policy's terms supply them.</remarks>
internal sealed class AerleonEmitter(EmitterOptions options) : IRuleEmitter
{
    public string Format => "aerleon";

    public string Description => "Aerleon network definitions (YAML networks:), one network per site and section, for Aerleon's policy generators.";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        IReadOnlyList<NetworkDefinition> networks = NetworkDefinitions.PlanAndWriteHeader(rules, options, output);
        output.Write("networks:\n");
        foreach (NetworkDefinition network in networks)
        {
            output.Write($"  \"{network.Name}\":\n    values:\n");
            foreach (string member in network.Members)
            {
                output.Write($"      - name: \"{member}\"\n");
            }

            // One item a prefix, written from its numbers; a group has none.
            network.Prefixes.WriteLines(output, "      - address: \"", "\"\n");
        }
    }
}
