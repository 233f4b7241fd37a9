using System.Text.Json;
using System.Text.Json.Nodes;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Emitters.Windows;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// Each address format's output read back with a real parser, as the evaluator of its target: the cloud templates as JSON and HCL
/// (HashiCorp's parser, one Node.js process for every document of a format), the scripts by bash itself with fake CLIs recording
/// what it passes them, the Kubernetes YAML by PyYAML (the shared validator process, which also checks each object against its
/// published schema), Capirca's and Aerleon's definitions by their own readers (one Python process for every document of a format),
/// the Windows scripts by the strict PowerShell and netsh readers.
/// </summary>
internal static partial class FormatReaders
{
    /// <summary>Every format the invariant covers here: all of <c>fwrules formats</c> but the Linux ones, squid, and the names-only ones.</summary>
    public static readonly string[] Formats =
    [
        "aws-sg", "aws-cloudformation", "terraform", "azure-arm", "bicep", "azure-nsg", "gcp-firewall", "terraform-gcp",
        "kubernetes", "cilium", "calico", "windows", "windows-netsh", "list", "capirca", "aerleon",
    ];

    private const string NoCalicoCrd = "/: no CRD here for apiVersion='projectcalico.org/v3' kind='NetworkPolicy'";

    private static readonly IReadOnlyDictionary<string, string> NsgTarget = new Dictionary<string, string>
    {
        ["DATADOG_RESOURCE_GROUP"] = "rg-invariant", ["DATADOG_NSG"] = "nsg-invariant",
    };

    /// <summary>The options a case renders <paramref name="format"/> with: the defaults, and the case's draw of the format's own settings.</summary>
    public static EmitterOptions Options(string format, InvariantCase planCase) => format switch
    {
        "kubernetes" or "cilium" or "calico" => new KubernetesPolicyOptions
        {
            // What Datadog connects to reaches your own services: the policies need them selected.
            PodSelector = planCase.Ingress ? new Dictionary<string, string> { ["app"] = "dd-webhooks" } : null,
            ClusterWide = format != "kubernetes" && planCase.Variant % 2 == 1,
            Families = planCase.Families,
        },
        "aws-cloudformation" or "terraform" => new AwsSecurityGroupOptions { UsePrefixLists = planCase.Variant % 3 == 0, Families = planCase.Families },
        _ => new EmitterOptions { Families = planCase.Families },
    };

    /// <summary>Reads every text of <paramref name="format"/> back, each as its target's evaluator, in the order given.</summary>
    public static IReadOnlyList<Admission> Read(string format, IReadOnlyList<(InvariantCase Case, string Text)> rendered) => format switch
    {
        "aws-sg" => [.. rendered.Select(r => (Admission)new SecurityGroupAdmission(AwsCli(r.Text)))],
        "aws-cloudformation" => [.. rendered.Select(r => (Admission)new SecurityGroupAdmission(CloudFormation(r.Text)))],
        "terraform" => [.. Hcl(rendered).Select(h => (Admission)new SecurityGroupAdmission(AwsOutput.FromTerraform(JsonDocument.Parse(h.ToJsonString()).RootElement)))],
        "azure-arm" => [.. rendered.Select(r => (Admission)new NsgAdmission(NsgOutput.FromArm(r.Text).Output))],
        "bicep" => [.. rendered.Select(r => (Admission)new NsgAdmission(NsgOutput.FromBicep(r.Text).Output))],
        "azure-nsg" => [.. rendered.Select(r => (Admission)new NsgAdmission(NsgOutput.FromAzCalls(Script(r.Text, NsgTarget).Calls)))],
        "gcp-firewall" => [.. rendered.Select(r => Gcp(GcpReadBack.FromGcloud(Script(r.Text, new Dictionary<string, string> { ["FAKE_DESCRIBE_EXIT"] = "1" }).Calls)))],
        "terraform-gcp" => [.. Hcl(rendered).Select(h => Gcp(GcpReadBack.FromTerraform(h)))],
        "kubernetes" => [.. rendered.Select(r => (Admission)new NetworkPolicyAdmission(Yaml("k8s", r.Text), PodOf(format, r.Case)))],
        "cilium" => [.. rendered.Select(r => (Admission)new CiliumAdmission(Yaml("crd", r.Text), PodOf(format, r.Case)))],
        "calico" => [.. rendered.Select(r => (Admission)new CalicoAdmission(Yaml("crd", r.Text), PodOf(format, r.Case)))],
        "windows" => [.. rendered.Select(r => (Admission)new WindowsAdmission(WindowsAdmission.FromPowerShell(PowerShellScript.Read(r.Text))))],
        "windows-netsh" => [.. rendered.Select(r => (Admission)new WindowsAdmission(WindowsAdmission.FromNetsh(NetshScript.Read(r.Text))))],
        "list" => [.. rendered.Select(r => (Admission)new ListAdmission(ListAdmission.FromPlainList(r.Text)))],
        "capirca" or "aerleon" => [.. DefinitionReaders.Expand(format, [.. rendered.Select(r => r.Text)]).Select(p => (Admission)new ListAdmission(p))],
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not an address format of the invariant"),
    };

    private static GcpAdmission Gcp(IReadOnlyList<GcpRule> rules) => new(rules, new GcpFirewallOptions().TargetTags);

    // The pod the policies are for: the one the case selects (the agent's, or your services for what Datadog connects to).
    private static Pod PodOf(string format, InvariantCase planCase)
    {
        var options = (KubernetesPolicyOptions)Options(format, planCase);
        return new Pod(options.Namespace, options.PodSelector ?? KubernetesPolicyOptions.AgentPodSelector);
    }

    /// <summary>
    /// A CloudFormation template's groups and lists; a group given no egress rule gets the allow-all outbound rules CloudFormation
    /// adds to such a group (IPv4 and IPv6, all protocols and ports), as AWS would hold it.
    /// </summary>
    private static AwsOutput CloudFormation(string json)
    {
        AwsOutput output = AwsOutput.FromCloudFormation(json);
        JsonObject resources = JsonNode.Parse(json)!["Resources"]!.AsObject();
        AwsRule[] defaults = [.. resources
            .Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::EC2::SecurityGroup"
                && r.Value["Properties"]?["SecurityGroupEgress"] is not JsonArray { Count: > 0 })
            .SelectMany(r => new[] { "0.0.0.0/0", "::/0" }.Select(cidr => new AwsRule(r.Key, Direction.Egress, "-1", -1, -1, cidr, null, "CloudFormation's default")))];
        return new AwsOutput([.. output.Rules, .. defaults], output.Lists);
    }

    /// <summary>
    /// The rules an aws-sg script leaves on new groups: each group starts with AWS's allow-all outbound rules (IPv4 and IPv6, as
    /// <c>describe-security-group-rules</c> lists them to the script), loses them when the script revokes them, and holds what it
    /// authorizes.
    /// </summary>
    private static AwsOutput AwsCli(string script)
    {
        Dictionary<string, string> ids = AwsGroupVariable().Matches(script).Select(m => m.Groups[1].Value).Distinct()
            .Select((variable, i) => (variable, Id: $"sg-{i + 1:x8}")).ToDictionary(p => p.variable, p => p.Id);
        string defaults = string.Concat(ids.Values.SelectMany(id => new[] { $"{id}\tsgr-{id[3..]}4\tTrue\n", $"{id}\tsgr-{id[3..]}6\tTrue\n" }));
        ScriptRun run = FakeCli.Run(script, ids, defaults);
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        string[] revoked = [.. run.Calls.Where(c => c is ["ec2", "revoke-security-group-egress", ..]).Select(c => c[Array.IndexOf(c, "--group-id") + 1])];
        AwsOutput authorized = AwsOutput.FromCliCalls(run.Calls);
        AwsRule[] kept = [.. ids.Values.Except(revoked)
            .SelectMany(id => new[] { "0.0.0.0/0", "::/0" }.Select(cidr => new AwsRule(id, Direction.Egress, "-1", -1, -1, cidr, null, "AWS's default")))];
        return new AwsOutput([.. authorized.Rules, .. kept], []);
    }

    private static ScriptRun Script(string text, IReadOnlyDictionary<string, string> environment)
    {
        ScriptRun run = FakeCli.Run(text, environment);
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        return run;
    }

    private static IReadOnlyList<JsonObject> Yaml(string kind, string text)
    {
        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.Check(kind, text);
        // data/validators has no CRD for Calico's namespaced NetworkPolicy (KubernetesEmitterTests checks its fields as a global one's).
        Assert.That(documents.SelectMany(d => d.Errors.Where(e => !e.StartsWith(NoCalicoCrd, StringComparison.Ordinal)).Select(e => $"{d.Kind} {d.Name}: {e}")),
            Is.Empty, "not valid against the published schema");
        return [.. documents.Select(d => d.Document)];
    }

    // Every document through HashiCorp's parser in one Node.js process.
    private static IReadOnlyList<JsonObject> Hcl(IReadOnlyList<(InvariantCase Case, string Text)> rendered)
    {
        (string node, string modules) = ExternalTool.NodeModules("@cdktf/hcl2json");
        using var files = new TempFiles();
        string[] paths = [.. rendered.Select((r, i) => files.Write($"case{i}.tf", r.Text))];
        ToolResult parsed = ExternalTool.RunValidator("hcl2json.cjs", modules, node, paths);
        Assert.That(parsed.ExitCode, Is.Zero, parsed.Error);
        return [.. JsonNode.Parse(parsed.Output)!.AsArray().Select(d => d!.AsObject())];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\(group_id (\w+) ")]
    private static partial System.Text.RegularExpressions.Regex AwsGroupVariable();
}
