using System.Text.Json;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>aws-waf</c>: a CloudFormation template (JSON) of one <c>AWS::WAFv2::IPSet</c> per family of the allowed prefixes and an
/// <c>AWS::WAFv2::RuleGroup</c> whose rule blocks every client in none of them (<see cref="WafIpSets"/>), its ARN an output, for the
/// web ACL in front of the endpoint to reference; parameter <c>Scope</c> (<c>REGIONAL</c>, or <c>CLOUDFRONT</c> in us-east-1).
/// </summary>
internal sealed class WafCloudFormationEmitter(EmitterOptions options) : IRuleEmitter
{
    public const string Name = "aws-waf";

    public string Format => Name;

    public string Description =>
        "CloudFormation template: AWS WAF IP sets of the allowed ranges and a rule group blocking every other client, for your web ACL to reference";

    public string MediaType => "application/json";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        var sets = WafIpSets.Create(rules.Rules, options, Format);
        CloudFormationJson.Write(output, (writer, deployNote) => WriteTemplate(writer, rules.Rules, sets, deployNote));
    }

    private void WriteTemplate(Utf8JsonWriter writer, RuleSet rules, WafIpSets sets, string? deployNote)
    {
        string group = CloudFormationJson.LogicalId(sets.Name);
        CloudFormationJson.WriteHead(writer, options.Comments, "Datadog's ranges as AWS WAF IP sets and a rule group blocking every other client.", rules,
            WafIpSets.Notes, deployNote);
        WriteScopeParameter(writer);

        writer.WriteStartObject("Resources");
        foreach ((string version, string family, PrefixSet prefixes) in sets.Sets)
        {
            WriteIpSet(writer, $"{sets.Name}-{family}", version, prefixes);
        }

        writer.WriteStartObject(group);
        writer.WriteString("Type", "AWS::WAFv2::RuleGroup");
        writer.WriteStartObject("Properties");
        writer.WriteString("Name", sets.Name);
        CloudFormationJson.WriteRef(writer, "Scope", "Scope");
        writer.WriteNumber("Capacity", WafIpSets.Capacity);
        writer.WriteString(CloudFormationJson.DescriptionProperty, "Blocks every client outside the Datadog ranges");
        WriteVisibility(writer, sets.Name);
        writer.WriteStartArray("Rules");
        writer.WriteStartObject();
        writer.WriteString("Name", $"{sets.Name}-block-others");
        writer.WriteNumber("Priority", 0);
        writer.WriteStartObject("Action");
        writer.WriteStartObject("Block");
        writer.WriteEndObject();
        writer.WriteEndObject();
        WriteStatement(writer, sets);
        WriteVisibility(writer, $"{sets.Name}-block-others");
        writer.WriteEndObject();
        writer.WriteEndArray();
        CloudFormationJson.WriteNameTag(writer, sets.Name);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();

        CloudFormationJson.WriteArnOutput(writer, group, "Arn", "The rule group's ARN, for a web ACL's rule group reference statement.");
        writer.WriteEndObject();
    }

    private static void WriteScopeParameter(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("Parameters");
        writer.WriteStartObject("Scope");
        writer.WriteString("Type", "String");
        writer.WriteString(CloudFormationJson.DescriptionProperty, "REGIONAL for a load balancer or API Gateway, CLOUDFRONT (in us-east-1) for a distribution.");
        writer.WriteString("Default", "REGIONAL");
        writer.WriteStartArray("AllowedValues");
        writer.WriteStringValue("REGIONAL");
        writer.WriteStringValue("CLOUDFRONT");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteIpSet(Utf8JsonWriter writer, string name, string version, PrefixSet prefixes)
    {
        writer.WriteStartObject(CloudFormationJson.LogicalId(name));
        writer.WriteString("Type", "AWS::WAFv2::IPSet");
        writer.WriteStartObject("Properties");
        writer.WriteString("Name", name);
        CloudFormationJson.WriteRef(writer, "Scope", "Scope");
        writer.WriteString("IPAddressVersion", version);
        writer.WriteString(CloudFormationJson.DescriptionProperty, $"Datadog {version} ranges, from fwrules");
        writer.WriteStartArray("Addresses");
        foreach (string prefix in prefixes.Select(p => p.ToString()))
        {
            writer.WriteStringValue(prefix);
        }

        writer.WriteEndArray();
        CloudFormationJson.WriteNameTag(writer, name);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // Blocks what is in none of the sets: NOT (the one set), or NOT (OR of both).
    private static void WriteStatement(Utf8JsonWriter writer, WafIpSets sets)
    {
        writer.WriteStartObject("Statement");
        writer.WriteStartObject("NotStatement");
        writer.WriteStartObject("Statement");
        if (sets.Sets.Count > 1)
        {
            writer.WriteStartObject("OrStatement");
            writer.WriteStartArray("Statements");
        }

        foreach ((_, string family, _) in sets.Sets)
        {
            if (sets.Sets.Count > 1)
            {
                writer.WriteStartObject();
            }

            writer.WriteStartObject("IPSetReferenceStatement");
            writer.WriteStartObject("Arn");
            CloudFormationJson.WriteGetAtt(writer, CloudFormationJson.LogicalId($"{sets.Name}-{family}"), "Arn");
            writer.WriteEndObject();
            writer.WriteEndObject();
            if (sets.Sets.Count > 1)
            {
                writer.WriteEndObject();
            }
        }

        if (sets.Sets.Count > 1)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteVisibility(Utf8JsonWriter writer, string metric)
    {
        writer.WriteStartObject("VisibilityConfig");
        writer.WriteBoolean("SampledRequestsEnabled", true);
        writer.WriteBoolean("CloudWatchMetricsEnabled", true);
        writer.WriteString("MetricName", metric);
        writer.WriteEndObject();
    }
}
