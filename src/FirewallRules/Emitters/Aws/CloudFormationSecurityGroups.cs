using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// An <see cref="AwsPlan"/> as CloudFormation resources: <c>AWS::EC2::SecurityGroup</c> with inline rules, one per
/// (port, CIDR) or prefix list reference, and the <c>AWS::EC2::PrefixList</c> resources they reference; and each
/// group's id as an output. Written by the <c>aws-cloudformation</c> format and the PrivateLink template.
/// </summary>
/// <remarks>
/// Every rule names exactly one destination or source (a CIDR or a prefix list): CloudFormation silently creates
/// nothing for a rule with none. The groups take their VPC from the template parameter <c>VpcId</c>.
/// </remarks>
/// <param name="options">Names and comments.</param>
internal sealed class CloudFormationSecurityGroups(AwsSecurityGroupOptions options)
{
    /// <summary>CloudFormation accepts at most 100 entries in an <c>AWS::EC2::PrefixList</c> of a template.</summary>
    public const int MaxListEntries = 100;

    /// <summary>The one outbound rule of a group that allows no outbound traffic: loopback, which never leaves the host.</summary>
    private const string NoEgressCidr = "127.0.0.1/32";

    /// <summary>How many resources <see cref="WriteResources"/> writes for <paramref name="plan"/>.</summary>
    public static int ResourceCount(AwsPlan plan) => plan.Groups.Count + plan.PrefixLists.Count;

    /// <summary>The logical id of <paramref name="group"/>, for references to it.</summary>
    public static string GroupId(AwsSecurityGroup group) => CloudFormationJson.LogicalId(group.Name);

    /// <summary>The plan's prefix lists and security groups, as members of the template's <c>Resources</c> object.</summary>
    /// <param name="writer">The template's writer.</param>
    /// <param name="plan">The groups and lists.</param>
    /// <param name="sameHosts">
    /// Whether the groups of both directions are attached to the same hosts, so that the ingress groups must allow no outbound
    /// traffic (<see cref="AwsPlan.IngressGroupsAllowNoEgress"/>); not when the ingress groups are another resource's (endpoints').
    /// </param>
    public void WriteResources(Utf8JsonWriter writer, AwsPlan plan, bool sameHosts)
    {
        foreach (AwsPrefixList list in plan.PrefixLists)
        {
            WritePrefixList(writer, list);
        }

        foreach (AwsSecurityGroup group in plan.Groups)
        {
            WriteGroup(writer, group, sameHosts && plan.IngressGroupsAllowNoEgress);
        }
    }

    /// <summary>Each group's id, as members of the template's <c>Outputs</c> object.</summary>
    public static void WriteOutputs(Utf8JsonWriter writer, AwsPlan plan)
    {
        foreach (AwsSecurityGroup group in plan.Groups)
        {
            writer.WriteStartObject(GroupId(group));
            writer.WriteString(CloudFormationJson.DescriptionProperty, $"The id of security group {group.Name}.");
            writer.WriteStartObject("Value");
            CloudFormationJson.WriteGetAtt(writer, GroupId(group), "GroupId");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    private void WriteGroup(Utf8JsonWriter writer, AwsSecurityGroup group, bool noEgress)
    {
        bool egress = group.Direction == Direction.Egress;
        writer.WriteStartObject(GroupId(group));
        writer.WriteString("Type", "AWS::EC2::SecurityGroup");
        writer.WriteStartObject("Properties");
        writer.WriteString("GroupDescription", group.Description);
        CloudFormationJson.WriteRef(writer, "VpcId", "VpcId");
        writer.WriteStartArray(egress ? "SecurityGroupEgress" : "SecurityGroupIngress");
        foreach (AwsPermission permission in group.Permissions)
        {
            foreach (IPNetwork cidr in permission.IPv4.Concat(permission.IPv6))
            {
                WriteRule(writer, permission, cidr.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "CidrIp" : "CidrIpv6", cidr.ToString(), reference: false);
            }

            foreach (AwsPrefixList list in permission.PrefixLists)
            {
                WriteRule(writer, permission, egress ? "DestinationPrefixListId" : "SourcePrefixListId", ListId(list), reference: true);
            }
        }

        writer.WriteEndArray();
        if (!egress && noEgress)
        {
            WriteNoEgress(writer);
        }

        CloudFormationJson.WriteNameTag(writer, group.Name);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // An ingress group's egress rules, when it allows no outbound traffic: CloudFormation gives a group without any an allow-all
    // outbound rule, so it holds one rule to loopback, which never leaves the host, in its place.
    private void WriteNoEgress(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("SecurityGroupEgress");
        writer.WriteStartObject();
        writer.WriteString("IpProtocol", "-1");
        writer.WriteString("CidrIp", NoEgressCidr);
        if (options.Comments)
        {
            writer.WriteString(CloudFormationJson.DescriptionProperty, "no outbound traffic: replaces the allow-all rule CloudFormation adds to a group without egress rules");
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
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
            CloudFormationJson.WriteRef(writer, targetProperty, target);
        }
        else
        {
            writer.WriteString(targetProperty, target);
        }

        if (options.Comments)
        {
            writer.WriteString(CloudFormationJson.DescriptionProperty, permission.Description);
        }

        writer.WriteEndObject();
    }

    private void WritePrefixList(Utf8JsonWriter writer, AwsPrefixList list)
    {
        writer.WriteStartObject(ListId(list));
        writer.WriteString("Type", "AWS::EC2::PrefixList");
        writer.WriteStartObject("Properties");
        writer.WriteString("PrefixListName", list.Name);
        writer.WriteString("AddressFamily", list.Family.Label());
        writer.WriteNumber("MaxEntries", list.MaxEntries);
        writer.WriteStartArray("Entries");
        foreach (IPNetwork entry in list.Entries)
        {
            writer.WriteStartObject();
            writer.WriteString("Cidr", entry.ToString());
            if (options.Comments)
            {
                writer.WriteString(CloudFormationJson.DescriptionProperty, list.Description);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        CloudFormationJson.WriteNameTag(writer, list.Name);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private string ListId(AwsPrefixList list) =>
        CloudFormationJson.LogicalId($"{options.Name}-{list.Direction.Keyword()}-{list.Family.Label()}-list-{list.Number}");
}
