namespace FirewallRules.Emitters.Lists;

/// <summary>
/// <c>capirca</c>: network definitions in Capirca's <c>.net</c> form (<c>NAME = prefix</c>, then one prefix per
/// continuation line), one network per site and section (see <see cref="NetworkDefinitions"/>), for Capirca's
/// generators to use in policies (<c>destination-address:: DATADOG_US1_LOGS</c>). The provenance comes first as
/// <c>#</c> lines when comments are on.
/// </summary>
/// <remarks>Ports, directions and actions are not part of a definition: the policy's terms supply them.</remarks>
internal sealed class CapircaEmitter(EmitterOptions options) : IRuleEmitter
{
    public string Format => "capirca";

    public string Description => "Capirca network definitions (.net), one network per site and section, for Capirca's policy generators.";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        IReadOnlyList<NetworkDefinition> networks = NetworkDefinitions.PlanAndWriteHeader(rules, options, output);
        foreach (NetworkDefinition network in networks)
        {
            output.Write('\n');
            string indent = new(' ', network.Name.Length + 3);
            string lead = network.Name + " = ";
            if (network.Members.Count == 0)
            {
                // The prefixes, written from their numbers: the first after the name, the others under it.
                output.Write(lead);
                network.Prefixes.WriteEach(output, string.Empty, "\n" + indent);
                output.Write('\n');
                continue;
            }

            foreach (string member in network.Members)
            {
                output.Write(lead);
                output.Write(member);
                output.Write('\n');
                lead = indent;
            }
        }
    }
}
