using System.Text.Json;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>aws-cloudformation</c>: a CloudFormation template (JSON) of <c>AWS::EC2::SecurityGroup</c> resources
/// with inline rules, one per (port, CIDR), and optionally <c>AWS::EC2::PrefixList</c> resources they reference.
/// </summary>
/// <remarks>
/// <para>Every rule names exactly one destination or source (a CIDR or a prefix list): CloudFormation silently
/// creates nothing for a rule with none. Egress groups list their rules inline, which replaces the allow-all
/// outbound rule AWS adds to a group without any; ingress groups keep that default, as usual.</para>
/// <para>The template takes one parameter, <c>VpcId</c>, and outputs each group's id. Deploying it again with new
/// ranges replaces the rules.</para>
/// </remarks>
public sealed class CloudFormationEmitter : IRuleEmitter
{
    /// <summary>A JSON property name, not this class's Description (CA1507).</summary>
    internal static readonly JsonEncodedText DescriptionProperty = JsonEncodedText.Encode("Description");

    /// <summary>CloudFormation accepts at most 100 entries in an <c>AWS::EC2::PrefixList</c> of a template.</summary>
    internal const int MaxTemplateListEntries = 100;

    /// <summary>CloudFormation's limit on resources in one template.</summary>
    internal const int MaxResources = 500;
    private const int MaxTemplateDescriptionBytes = 1024;

    private readonly AwsSecurityGroupOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="AwsSecurityGroupOptions"/> defaults when null.</param>
    public CloudFormationEmitter(AwsSecurityGroupOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "aws-cloudformation";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "CloudFormation template: security groups (or prefix lists) with the rules; parameter VpcId";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules cannot be rendered (see the plan's limits), or the template would exceed CloudFormation's 500 resources.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        AwsPlan plan = AwsPlan.Create(rules, _options, MaxTemplateListEntries);
        if (plan.Groups.Count + plan.PrefixLists.Count > MaxResources)
        {
            throw new RuleGenerationException(
                $"the template would need {plan.Groups.Count + plan.PrefixLists.Count} resources, more than CloudFormation's {MaxResources}: set a prefix budget (MaxPrefixesPerRule, --max-rules)");
        }

        output.Write(JsonText.Write(writer => WriteTemplate(writer, plan)));
        output.Write('\n');
    }

    private void WriteTemplate(Utf8JsonWriter writer, AwsPlan plan)
    {
        writer.WriteStartObject();
        writer.WriteString("AWSTemplateFormatVersion", "2010-09-09");
        if (_options.Comments)
        {
            IReadOnlyList<string> provenance = CommentText.SingleLines(plan.Rules.Describe());
            writer.WriteString(DescriptionProperty, TemplateDescription("Datadog IP ranges as AWS security groups.", provenance));
            writer.WriteStartObject("Metadata");
            writer.WriteStartObject("FirewallRules");
            WriteStrings(writer, "Provenance", provenance);
            WriteStrings(writer, "Notes", plan.Notes);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteStartObject("Parameters");
        writer.WriteStartObject("VpcId");
        writer.WriteString("Type", "AWS::EC2::VPC::Id");
        writer.WriteString(DescriptionProperty, "The VPC to create the security groups in.");
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("Resources");
        WriteResources(writer, plan);
        writer.WriteEndObject();

        writer.WriteStartObject("Outputs");
        WriteOutputs(writer, plan);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The plan's prefix lists and security groups, as members of the template's <c>Resources</c> object.</summary>
    /// <remarks>The groups take their VPC from the template parameter <c>VpcId</c>.</remarks>
    internal void WriteResources(Utf8JsonWriter writer, AwsPlan plan)
    {
        foreach (AwsPrefixList list in plan.PrefixLists)
        {
            WritePrefixList(writer, list);
        }

        foreach (AwsSecurityGroup group in plan.Groups)
        {
            WriteGroup(writer, group);
        }
    }

    /// <summary>Each group's id, as members of the template's <c>Outputs</c> object.</summary>
    internal static void WriteOutputs(Utf8JsonWriter writer, AwsPlan plan)
    {
        foreach (AwsSecurityGroup group in plan.Groups)
        {
            writer.WriteStartObject(LogicalId(group.Name));
            writer.WriteString(DescriptionProperty, $"The id of security group {group.Name}.");
            writer.WriteStartObject("Value");
            WriteGetAtt(writer, LogicalId(group.Name), "GroupId");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    /// <summary>Writes <c>"Fn::GetAtt": [resource, attribute]</c> inside an object.</summary>
    internal static void WriteGetAtt(Utf8JsonWriter writer, string resource, string attribute)
    {
        writer.WriteStartArray("Fn::GetAtt");
        writer.WriteStringValue(resource);
        writer.WriteStringValue(attribute);
        writer.WriteEndArray();
    }

    private void WriteGroup(Utf8JsonWriter writer, AwsSecurityGroup group)
    {
        bool egress = group.Direction == Direction.Egress;
        writer.WriteStartObject(LogicalId(group.Name));
        writer.WriteString("Type", "AWS::EC2::SecurityGroup");
        writer.WriteStartObject("Properties");
        writer.WriteString("GroupDescription", group.Description);
        writer.WriteStartObject("VpcId");
        writer.WriteString("Ref", "VpcId");
        writer.WriteEndObject();
        writer.WriteStartArray(egress ? "SecurityGroupEgress" : "SecurityGroupIngress");
        foreach (AwsPermission permission in group.Permissions)
        {
            foreach (System.Net.IPNetwork cidr in permission.IPv4.Concat(permission.IPv6))
            {
                WriteRule(writer, permission, cidr.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "CidrIp" : "CidrIpv6", cidr.ToString(), reference: false);
            }

            foreach (AwsPrefixList list in permission.PrefixLists)
            {
                WriteRule(writer, permission, egress ? "DestinationPrefixListId" : "SourcePrefixListId", LogicalId(list), reference: true);
            }
        }

        writer.WriteEndArray();
        WriteNameTag(writer, group.Name);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // Exactly one target per rule: a rule without one would be created as nothing, silently.
    private void WriteRule(Utf8JsonWriter writer, AwsPermission permission, string targetProperty, string target, bool reference)
    {
        writer.WriteStartObject();
        writer.WriteString("IpProtocol", permission.Protocol);
        writer.WriteNumber("FromPort", permission.Rule.Port.First);
        writer.WriteNumber("ToPort", permission.Rule.Port.Last);
        if (reference)
        {
            writer.WriteStartObject(targetProperty);
            writer.WriteString("Ref", target);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString(targetProperty, target);
        }

        if (_options.Comments)
        {
            writer.WriteString(DescriptionProperty, permission.Description);
        }

        writer.WriteEndObject();
    }

    private void WritePrefixList(Utf8JsonWriter writer, AwsPrefixList list)
    {
        writer.WriteStartObject(LogicalId(list));
        writer.WriteString("Type", "AWS::EC2::PrefixList");
        writer.WriteStartObject("Properties");
        writer.WriteString("PrefixListName", list.Name);
        writer.WriteString("AddressFamily", list.Family.Label());
        writer.WriteNumber("MaxEntries", list.MaxEntries);
        writer.WriteStartArray("Entries");
        foreach (System.Net.IPNetwork entry in list.Entries)
        {
            writer.WriteStartObject();
            writer.WriteString("Cidr", entry.ToString());
            if (_options.Comments)
            {
                writer.WriteString(DescriptionProperty, list.Description);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteNameTag(writer, list.Name);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes a <c>Tags</c> list (or <paramref name="property"/>, for resources that name it differently) holding the Name tag.</summary>
    internal static void WriteNameTag(Utf8JsonWriter writer, string name, string property = "Tags")
    {
        writer.WriteStartArray(property);
        writer.WriteStartObject();
        writer.WriteString("Key", "Name");
        writer.WriteString("Value", name);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>Writes an array of strings.</summary>
    internal static void WriteStrings(Utf8JsonWriter writer, string property, IEnumerable<string> values)
    {
        writer.WriteStartArray(property);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>A sentence saying what the template is, then the provenance sentences, cut to CloudFormation's 1024 bytes for a template description.</summary>
    internal static string TemplateDescription(string lead, IReadOnlyList<string> provenance)
    {
        string text = lead + " " + string.Join(" ", provenance);
        while (System.Text.Encoding.UTF8.GetByteCount(text) > MaxTemplateDescriptionBytes)
        {
            text = text[..^(char.IsLowSurrogate(text[^1]) ? 2 : 1)];
        }

        return text;
    }

    private string LogicalId(AwsPrefixList list) =>
        LogicalId($"{_options.Name}-{list.Direction.Keyword()}-{list.Family.Label()}-list-{list.Number}");

    /// <summary>CloudFormation logical ids are alphanumeric: <c>datadog-egress-1</c> becomes <c>DatadogEgress1</c>.</summary>
    internal static string LogicalId(string name) =>
        string.Concat(name.Split('-', '_').Where(part => part.Length > 0).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
