using System.Text.Json;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>aws-network-firewall</c>: a CloudFormation template (JSON) of one <c>AWS::NetworkFirewall::RuleGroup</c>, a
/// stateful domain list allowing Datadog's host names for the rules' outbound sections by TLS SNI and HTTP Host (see
/// <see cref="NetworkFirewallDomainList"/>), and its ARN as an output, for a firewall policy to reference.
/// </summary>
/// <remarks>
/// Host names are written by the JSON writer, never concatenated, after being checked to be DNS names. The rule group
/// keeps Network Firewall's default rule order; a policy using strict order needs <c>StatefulRuleOptions</c> added.
/// </remarks>
internal sealed class NetworkFirewallCloudFormationEmitter(EmitterOptions options) : IRuleEmitter, IByNameEmitter
{
    public const string Name = "aws-network-firewall";

    public string Format => Name;

    public string Description =>
        "CloudFormation template: an AWS Network Firewall stateful domain list rule group allowing Datadog's host names (TLS SNI, HTTP Host); output its ARN";

    public string MediaType => "application/json";

    public EmitterOptions Options => options;

    public int HostNames(RuleSet rules) => NetworkFirewallDomainList.Create(rules, options).Targets.Count;

    public IReadOnlyList<string> Features(RuleSet rules) => NetworkFirewallDomainList.Features(rules);

    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        var list = NetworkFirewallDomainList.Create(rules.Rules, options);
        CloudFormationJson.Write(output, (writer, deployNote) => WriteTemplate(writer, rules.Rules, list, deployNote));
    }

    private void WriteTemplate(Utf8JsonWriter writer, RuleSet rules, NetworkFirewallDomainList list, string? deployNote)
    {
        string id = CloudFormationJson.LogicalId(list.RuleGroupName);
        CloudFormationJson.WriteHead(writer, options.Comments, "Datadog Agent host names as an AWS Network Firewall domain list rule group.", rules, list.Notes, deployNote);
        writer.WriteStartObject("Resources");
        writer.WriteStartObject(id);
        writer.WriteString("Type", "AWS::NetworkFirewall::RuleGroup");
        writer.WriteStartObject("Properties");
        writer.WriteString("RuleGroupName", list.RuleGroupName);
        writer.WriteString("Type", "STATEFUL");
        writer.WriteNumber("Capacity", list.Capacity);
        writer.WriteString(CloudFormationJson.DescriptionProperty, list.Description);
        writer.WriteStartObject("RuleGroup");
        writer.WriteStartObject("RulesSource");
        writer.WriteStartObject("RulesSourceList");
        writer.WriteString("GeneratedRulesType", "ALLOWLIST");
        WriteStrings(writer, "TargetTypes", NetworkFirewallDomainList.TargetTypes);
        WriteStrings(writer, "Targets", list.Targets);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        CloudFormationJson.WriteNameTag(writer, list.RuleGroupName);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();

        CloudFormationJson.WriteArnOutput(writer, id, "RuleGroupArn", "The rule group's ARN, for a firewall policy's StatefulRuleGroupReferences.");
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string property, IEnumerable<string> values)
    {
        writer.WriteStartArray(property);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
