using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Kubernetes;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The options of <c>generate</c> that only some formats take: the Kubernetes formats (those whose options are
/// <see cref="KubernetesPolicyOptions"/>) and the Google Cloud ones (<see cref="GcpFirewallOptions"/>). Each value is
/// checked by the library's own setter where it is declared, so a bad one is a usage error; given with another format,
/// an option is a usage error naming the formats that take it.
/// </summary>
internal sealed class TargetOptions
{
    private readonly string[] _kubernetesFormats;
    private readonly string[] _gcpFormats;

    private readonly Option<int?> _denyPriority;

    // denyPriority: --deny-priority, which Azure's formats read too (PlatformOptions declares it).
    public TargetOptions(EmitterRegistry registry, Option<int?> denyPriority)
    {
        _kubernetesFormats = FormatsTaking<KubernetesPolicyOptions>(registry);
        _gcpFormats = FormatsTaking<GcpFirewallOptions>(registry);
        _denyPriority = denyPriority;
    }

    public Option<string?> Namespace { get; } = Checked(new Option<string?>("--namespace")
    {
        Description = "kubernetes, cilium, calico: the policies' namespace (default datadog).",
        HelpName = "NAMESPACE",
    }, value => _ = new KubernetesPolicyOptions { Namespace = value! });

    public Option<Dictionary<string, string>?> PodSelector { get; } = new("--pod-selector")
    {
        Description = "kubernetes, cilium, calico: select pods with this label (repeatable). Default for egress and --agent: agent.datadoghq.com/component=agent, the Datadog Agent's pods (Helm chart and Operator).",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = ParseLabels,
    };

    public Option<bool> ClusterWide { get; } = new("--cluster-wide") { Description = "cilium, calico: cluster-wide policies (CiliumClusterwideNetworkPolicy, Calico GlobalNetworkPolicy)." };

    public Option<bool> ByName { get; } = new("--by-name") { Description = "cilium: allow the site's intake host names (toFQDNs) instead of its ranges." };

    public Option<bool> NoDns { get; } = new("--no-dns") { Description = "kubernetes, cilium, calico: leave out the policy allowing DNS to kube-dns." };

    public Option<int?> MaxObjectBytes { get; } = Checked(new Option<int?>("--max-object-bytes")
    {
        Description = $"kubernetes, cilium, calico: split objects larger than N bytes (default 262144, at most {KubernetesPolicyOptions.MaxObjectBytesLimit}).",
        HelpName = "N",
    }, value => _ = new KubernetesPolicyOptions { MaxObjectBytes = value!.Value });

    public Option<int?> MaxPolicyMapEntries { get; } = Checked(new Option<int?>("--max-policy-map-entries")
    {
        Description = "cilium: the entries the selected pods' policy map holds (Cilium's bpf-policy-map-max; default 16384).",
        HelpName = "N",
    }, value => _ = new KubernetesPolicyOptions { MaxPolicyMapEntries = value!.Value });

    public Option<string?> Network { get; } = GcpNetwork("gcp-firewall, terraform-gcp");

    public Option<string[]?> TargetTags { get; } = GcpTargetTags("gcp-firewall, terraform-gcp");

    public Option<string[]?> ServiceAccounts { get; } = GcpServiceAccounts("gcp-firewall, terraform-gcp");

    public Option<int?> Priority { get; } = Checked(new Option<int?>("--priority")
    {
        Description = "gcp-firewall, terraform-gcp: the first rule's priority (default 1000).",
        HelpName = "N",
    }, value => _ = new GcpFirewallOptions { FirstPriority = value!.Value });

    public Option<int?> MaxRanges { get; } = Checked(new Option<int?>("--max-ranges-per-rule")
    {
        Description = "gcp-firewall, terraform-gcp: split rules with more ranges (default 256).",
        HelpName = "N",
    }, value => _ = new GcpFirewallOptions { MaxRangesPerRule = value!.Value });

    public Option<bool> AllowOtherEgress { get; } = new("--allow-other-egress")
    {
        Description = "gcp-firewall, terraform-gcp: leave out the rules denying all other egress (the allow-list then restricts nothing).",
    };

    /// <summary>Every option, in the order help lists them.</summary>
    public IEnumerable<Option> All => [.. KubernetesOptions, .. GcpOptions];

    private Option[] KubernetesOptions => [Namespace, PodSelector, ClusterWide, ByName, NoDns, MaxObjectBytes, MaxPolicyMapEntries];

    private Option[] GcpOptions => [Network, TargetTags, ServiceAccounts, Priority, MaxRanges, AllowOtherEgress];

    /// <summary>Refuses a target option given with a format that does not take it.</summary>
    public void AddValidators(Command command, Option<string> format)
    {
        command.Validators.Add(result =>
        {
            if (result.GetResult(format) is not { Tokens: [var token] })
            {
                return;
            }

            foreach ((Option[] options, string[] formats) in new[] { (KubernetesOptions, _kubernetesFormats), (GcpOptions, _gcpFormats) })
            {
                if (!formats.Contains(token.Value, StringComparer.OrdinalIgnoreCase) && options.FirstOrDefault(result.IsGiven) is Option given)
                {
                    result.AddError($"{given.Name} applies to --format {string.Join(", ", formats)} only.");
                }
            }
        });
    }

    /// <summary>The target settings <paramref name="format"/> takes: Kubernetes', Google Cloud's, or none.</summary>
    public GenerateRequest.Target? Bind(ParseResult parse, string format)
    {
        if (_kubernetesFormats.Contains(format, StringComparer.OrdinalIgnoreCase))
        {
            var defaults = new KubernetesPolicyOptions();
            return new GenerateRequest.KubernetesTarget(parse.GetValue(Namespace) ?? defaults.Namespace, parse.GetValue(PodSelector), parse.GetValue(ClusterWide),
                parse.GetValue(ByName), !parse.GetValue(NoDns), parse.GetValue(MaxObjectBytes) ?? defaults.MaxObjectBytes,
                parse.GetValue(MaxPolicyMapEntries) ?? defaults.MaxPolicyMapEntries);
        }

        if (_gcpFormats.Contains(format, StringComparer.OrdinalIgnoreCase))
        {
            var defaults = new GcpFirewallOptions();
            return new GenerateRequest.GcpTarget(parse.GetValue(Network) ?? defaults.Network, parse.GetValue(TargetTags) ?? [], parse.GetValue(ServiceAccounts) ?? [],
                parse.GetValue(Priority) ?? defaults.FirstPriority, parse.GetValue(_denyPriority) ?? defaults.DenyPriority, parse.GetValue(MaxRanges) ?? defaults.MaxRangesPerRule,
                !parse.GetValue(AllowOtherEgress));
        }

        return null;
    }

    /// <summary><c>--network</c>, checked by <see cref="GcpFirewallOptions"/>; <paramref name="appliesTo"/> starts its description.</summary>
    public static Option<string?> GcpNetwork(string appliesTo) => Checked(new Option<string?>("--network")
    {
        Description = $"{appliesTo}: the VPC network (default default).",
        HelpName = "NETWORK",
    }, value => _ = new GcpFirewallOptions { Network = value! });

    /// <summary><c>--target-tag</c>, checked by <see cref="GcpFirewallOptions"/>.</summary>
    public static Option<string[]?> GcpTargetTags(string appliesTo) => Checked(new Option<string[]?>("--target-tag")
    {
        Description = $"{appliesTo}: apply to instances with this network tag (repeatable).",
        HelpName = "TAG",
    }, value => _ = new GcpFirewallOptions { TargetTags = value! });

    /// <summary><c>--target-service-account</c>, checked by <see cref="GcpFirewallOptions"/>.</summary>
    public static Option<string[]?> GcpServiceAccounts(string appliesTo) => Checked(new Option<string[]?>("--target-service-account")
    {
        Description = $"{appliesTo}: apply to instances running as this service account (repeatable).",
        HelpName = "EMAIL",
    }, value => _ = new GcpFirewallOptions { TargetServiceAccounts = value! });

    /// <summary>The registry's formats whose options are <typeparamref name="TOptions"/>.</summary>
    public static string[] FormatsTaking<TOptions>(EmitterRegistry registry) =>
        [.. registry.Formats.Select(f => f.Format).Where(format => registry.Create(format).Options is TOptions)];

    // The library's setter is the one check of a value: what it refuses is a usage error with its reason.
    private static Option<T> Checked<T>(Option<T> option, Action<T> check)
    {
        option.Validators.Add(result =>
        {
            if (Converted<T>(result) is not T value)
            {
                return;
            }

            try
            {
                check(value);
            }
            catch (ArgumentException ex)
            {
                result.AddError(Reason(option.Name, ex));
            }
        });
        return option;
    }

    // A value that does not convert (--priority x) is reported by the parser itself, in its own words.
    private static T? Converted<T>(OptionResult result)
    {
        try
        {
            return result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    // "--namespace 'X' is not a namespace name: ...", "--priority must be less than or equal to '65535'."
    private static string Reason(string option, ArgumentException refusal)
    {
        string reason = refusal.Message.Split(" (Parameter", 2)[0];
        int must = reason.IndexOf(" must ", StringComparison.Ordinal);
        return must >= 0 ? $"{option}{reason[must..]}" : $"{option} {reason}";
    }

    private static Dictionary<string, string>? ParseLabels(ArgumentResult result)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Token token in result.Tokens)
        {
            if (token.Value.Split('=', 2) is not [{ Length: > 0 } key, string value])
            {
                result.AddError($"--pod-selector '{token.Value}': write KEY=VALUE, e.g. app=datadog-agent");
                return null;
            }

            labels[key] = value;
        }

        try
        {
            _ = new KubernetesPolicyOptions { PodSelector = labels };
        }
        catch (ArgumentException ex)
        {
            result.AddError(Reason("--pod-selector", ex));
        }

        return labels;
    }
}
