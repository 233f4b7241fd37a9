using System.CommandLine;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Kubernetes;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The options of <c>generate</c> that only some formats take: Kubernetes (kubernetes, cilium, calico) and Google Cloud
/// (gcp-firewall, terraform-gcp). They turn the shared options into the target's options type; given with another
/// format they are a usage error naming the formats that take them.
/// </summary>
internal sealed class TargetOptions
{
    private static readonly string[] KubernetesFormats = ["kubernetes", "cilium", "calico"];
    private static readonly string[] GcpFormats = ["gcp-firewall", "terraform-gcp"];

    private readonly Option<string?> _namespace = new("--namespace") { Description = "kubernetes, cilium, calico: the policies' namespace (default datadog).", HelpName = "NAMESPACE" };
    private readonly Option<string[]> _podSelector = new("--pod-selector") { Description = "kubernetes, cilium, calico: select pods with this label (repeatable). Default for egress and --agent: agent.datadoghq.com/component=agent, the Datadog Agent's pods (Helm chart and Operator).", HelpName = "KEY=VALUE" };
    private readonly Option<bool> _clusterWide = new("--cluster-wide") { Description = "cilium, calico: cluster-wide policies (CiliumClusterwideNetworkPolicy, Calico GlobalNetworkPolicy)." };
    private readonly Option<bool> _byName = new("--by-name") { Description = "cilium: allow the site's intake host names (toFQDNs) instead of its ranges." };
    private readonly Option<bool> _noDns = new("--no-dns") { Description = "kubernetes, cilium, calico: leave out the policy allowing DNS to kube-dns." };
    private readonly Option<int?> _maxObjectBytes = new("--max-object-bytes") { Description = "kubernetes, cilium, calico: split objects larger than N bytes (default 262144).", HelpName = "N" };
    private readonly Option<string?> _network = new("--network") { Description = "gcp-firewall, terraform-gcp: the VPC network (default default).", HelpName = "NETWORK" };
    private readonly Option<string[]> _targetTags = new("--target-tag") { Description = "gcp-firewall, terraform-gcp: apply to instances with this network tag (repeatable).", HelpName = "TAG" };
    private readonly Option<string[]> _serviceAccounts = new("--target-service-account") { Description = "gcp-firewall, terraform-gcp: apply to instances running as this service account (repeatable).", HelpName = "EMAIL" };
    private readonly Option<int?> _priority = new("--priority") { Description = "gcp-firewall, terraform-gcp: the first rule's priority (default 1000).", HelpName = "N" };
    private readonly Option<int?> _maxRanges = new("--max-ranges-per-rule") { Description = "gcp-firewall, terraform-gcp: split rules with more ranges (default 256).", HelpName = "N" };
    private readonly Option<bool> _allowOtherEgress = new("--allow-other-egress") { Description = "gcp-firewall, terraform-gcp: leave out the rules denying all other egress (the allow-list then restricts nothing)." };

    /// <summary>Every option, to add to the command.</summary>
    public IEnumerable<Option> All => [_namespace, _podSelector, _clusterWide, _byName, _noDns, _maxObjectBytes, _network, _targetTags, _serviceAccounts, _priority, _maxRanges, _allowOtherEgress];

    /// <summary>The options for <paramref name="format"/>: the target's type with <paramref name="shared"/> copied in, or <paramref name="shared"/> itself.</summary>
    /// <exception cref="CliException">A target option was given for a format that does not take it, or a value is not valid (exit 2).</exception>
    public EmitterOptions For(string format, EmitterOptions shared, ParseResult parse)
    {
        Option[] kubernetes = [_namespace, _podSelector, _clusterWide, _byName, _noDns, _maxObjectBytes];
        Option[] gcp = [_network, _targetTags, _serviceAccounts, _priority, _maxRanges, _allowOtherEgress];
        Refuse(format, parse, kubernetes, KubernetesFormats);
        Refuse(format, parse, gcp, GcpFormats);
        try
        {
            return KubernetesFormats.Contains(format, StringComparer.OrdinalIgnoreCase) ? Kubernetes(shared, parse)
                : GcpFormats.Contains(format, StringComparer.OrdinalIgnoreCase) ? Gcp(shared, parse)
                : shared;
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message.Split(" (Parameter", 2)[0], ExitCode.Usage);
        }
    }

    private KubernetesPolicyOptions Kubernetes(EmitterOptions shared, ParseResult parse)
    {
        var options = KubernetesPolicyOptions.From(shared);
        return new KubernetesPolicyOptions
        {
            Name = options.Name,
            Comments = options.Comments,
            Families = options.Families,
            MaxPrefixesPerRule = options.MaxPrefixesPerRule,
            Namespace = parse.GetValue(_namespace) ?? options.Namespace,
            PodSelector = parse.GetValue(_podSelector) is { Length: > 0 } labels ? Labels(labels) : null,
            ClusterWide = parse.GetValue(_clusterWide),
            ByName = parse.GetValue(_byName),
            AllowDns = !parse.GetValue(_noDns),
            MaxObjectBytes = parse.GetValue(_maxObjectBytes) ?? options.MaxObjectBytes,
        };
    }

    private GcpFirewallOptions Gcp(EmitterOptions shared, ParseResult parse)
    {
        var options = GcpFirewallOptions.From(shared);
        return new GcpFirewallOptions
        {
            Name = options.Name,
            Comments = options.Comments,
            Families = options.Families,
            MaxPrefixesPerRule = options.MaxPrefixesPerRule,
            Network = parse.GetValue(_network) ?? options.Network,
            TargetTags = parse.GetValue(_targetTags) ?? [],
            TargetServiceAccounts = parse.GetValue(_serviceAccounts) ?? [],
            FirstPriority = parse.GetValue(_priority) ?? options.FirstPriority,
            MaxRangesPerRule = parse.GetValue(_maxRanges) ?? options.MaxRangesPerRule,
            DenyOtherEgress = !parse.GetValue(_allowOtherEgress),
        };
    }

    private static Dictionary<string, string> Labels(string[] texts) => texts.ToDictionary(
        text => text.Split('=', 2) is [{ Length: > 0 } key, _] ? key : throw new CliException($"--pod-selector '{text}': write KEY=VALUE, e.g. app=datadog-agent", ExitCode.Usage),
        text => text.Split('=', 2)[1],
        StringComparer.Ordinal);

    private static void Refuse(string format, ParseResult parse, Option[] options, string[] formats)
    {
        if (!formats.Contains(format, StringComparer.OrdinalIgnoreCase) && options.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is Option given)
        {
            throw new CliException($"{given.Name} applies to --format {string.Join(", ", formats)} only", ExitCode.Usage);
        }
    }
}
