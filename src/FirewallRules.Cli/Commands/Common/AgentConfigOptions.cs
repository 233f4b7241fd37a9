using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.AgentConfig;
using FirewallRules.IO;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>--agent-config</c>, <c>--agent-env</c>, <c>--helm-values</c> and <c>--agent-version</c>: the agent's own configuration,
/// for <c>plan</c>, <c>generate</c>, <c>sync</c> and <c>verify</c>; and reading it with the files' names in every failure.
/// </summary>
internal sealed class AgentConfigOptions
{
    public AgentConfigOptions()
    {
        All = [Directory, Config, Environment, HelmValues, DatadogAgent, Version, SpecialRelays];
        SpecialRelays.Validators.Add(RequireHosts);
        Version.Validators.Add(RequireVersion);
    }

    public Option<string?> Directory { get; } = new Option<string?>("--agent-dir")
    {
        Description = "The agent's configuration folder, e.g. /etc/datadog-agent: its datadog.yaml, system-probe.yaml, security-agent.yaml and the " +
            "integrations of conf.d (Database Monitoring, SNMP devices, Network Path tests), as the agent reads them. --agent-config replaces its datadog.yaml.",
        HelpName = "DIR",
    }.NamingA("folder");

    public Option<string?> Config { get; } = new Option<string?>("--agent-config")
    {
        Description = "The agent's datadog.yaml: render what its enabled features contact and listen on.",
        HelpName = "FILE",
    }.NamingA("file");

    public Option<string?> Environment { get; } = new Option<string?>("--agent-env")
    {
        Description = "The agent's DD_* environment, which wins over the file as in the agent: " +
            "KEY=VALUE lines (a systemd EnvironmentFile, an env file) or /proc/PID/environ. The tool's own environment is never read.",
        HelpName = "FILE",
    }.NamingA("file");

    public Option<string?> HelmValues { get; } = new Option<string?>("--helm-values")
    {
        Description = "The Datadog Helm chart's values.yaml: a Kubernetes agent, with the cluster's DNS, NTP, kubelet and API server destinations.",
        HelpName = "FILE",
    }.NamingA("file");

    public Option<string?> DatadogAgent { get; } = new Option<string?>("--datadog-agent")
    {
        Description = "A DatadogAgent manifest (the Datadog Operator's datadoghq.com/v2alpha1 resource), alone or in a multi-document stream " +
            "(kubectl get datadogagent -o yaml, a rendered bundle): a Kubernetes agent as the Operator deploys it, with the same cluster destinations " +
            "as --helm-values.",
        HelpName = "FILE",
    }.NamingA("file");

    /// <summary>The options that give an agent's configuration, as messages list them: <c>--agent-dir, --agent-config, ...</c>.</summary>
    public const string Listed = "--agent-dir, --agent-config, --agent-env, --helm-values, --datadog-agent";

    public Option<string?> Version { get; } = new("--agent-version")
    {
        Description = "The agent version whose defaults and host names apply, e.g. 7.64.2. Default: the Helm image tag, else the newest agent this tool knows " +
            $"({FirewallRules.Verification.AgentEndpoints.DefaultAgentVersion}), whose versioned host names the allow-lists by name then hold for any version.",
        HelpName = "VERSION",
    };

    public Option<string[]> SpecialRelays { get; } = new("--allow-special-relay")
    {
        Description = "A loopback, link-local, documentation or other special-purpose host the configuration sends to on purpose (repeatable), " +
            "e.g. 127.0.0.1 for a relay on the agent's own host; any other is refused. Never a cloud's metadata service.",
        HelpName = "HOST",
    };

    public IReadOnlyList<Option> All { get; }

    // Agent 6 or 7, as the chart's image tags write it (7, 7.64, 7.64.2, 7.64.2-jmx; no leading zero) or latest: anything else is a usage error, one line.
    private static void RequireVersion(System.CommandLine.Parsing.OptionResult result)
    {
        string value = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : string.Empty;
        // ASCII letters only in the suffix: matched ignoring case, [A-Za-z] would also take the Kelvin sign (U+212A, a K).
        const string Versions = @"^(?:(?i:latest)|[67](?:\.(?:0|[1-9][0-9]{0,4})){0,2})(?:[-+][0-9A-Za-z.-]+)?$";
        if (!System.Text.RegularExpressions.Regex.IsMatch(value, Versions))
        {
            result.AddError($"--agent-version '{FirewallRules.IO.TerminalText.EscapeWhole(value)}': use an Agent 6 or 7 version such as 7.64.2 (or 7, 7.64, latest).");
        }
    }

    // One host per option, as the refusal names it: a network, a pattern or a URL would never match one and would fail silently.
    private static void RequireHosts(System.CommandLine.Parsing.OptionResult result)
    {
        foreach (string value in result.Tokens.Select(t => t.Value))
        {
            string bare = value.Trim().Trim('[', ']');
            if (!System.Net.IPAddress.TryParse(bare, out _) && !FirewallRules.Names.NameRules.IsDnsName(bare.TrimEnd('.')))
            {
                string shown = FirewallRules.IO.TerminalText.EscapeWhole(value);
                result.AddError($"--allow-special-relay '{shown}': use one host name or address (a network, pattern or URL is never a relay).");
                return;
            }
        }
    }

    public bool IsGiven(CommandResult result) =>
        result.IsGiven(Directory) || result.IsGiven(Config) || result.IsGiven(Environment) || result.IsGiven(HelmValues) || result.IsGiven(DatadogAgent);

    /// <summary>
    /// Adds to <paramref name="command"/> the usage error of two Kubernetes deployments given at once (the chart's values and a DatadogAgent
    /// manifest).
    /// </summary>
    public void AddValidator(Command command) => command.Validators.Add(result =>
    {
        if (Contradiction(result) is string error)
        {
            result.AddError(error);
        }
    });

    // Two deployments of the Agent at once: which one runs is not said.
    private string? Contradiction(CommandResult result) => result.IsGiven(HelmValues) && result.IsGiven(DatadogAgent)
        ? "--helm-values and --datadog-agent are two deployments of the Agent (the Helm chart's, the Operator's): give the one that deploys it."
        : null;

    /// <summary>
    /// The usage error of --agent-version given without a configuration it could apply to (generate, sync: --agent's listeners
    /// are the same for every version); null when there is none. verify names its endpoints by the version alone.
    /// </summary>
    public string? VersionWithoutConfiguration(CommandResult result) => result.IsGiven(Version) && !IsGiven(result)
        ? $"--agent-version needs an agent configuration ({Listed}): --agent's listeners are the same for every version."
        : null;

    /// <summary>The sources named on the command line; null when none was.</summary>
    public AgentConfigurationSources? Bind(ParseResult parse)
    {
        AgentConfigurationSources folder = parse.GetValue(Directory) is string directory ? InDirectory(directory) : new();
        var sources = folder with
        {
            ConfigFile = parse.GetValue(Config) ?? folder.ConfigFile,
            EnvironmentFile = parse.GetValue(Environment),
            HelmValuesFile = parse.GetValue(HelmValues),
            DatadogAgentFile = parse.GetValue(DatadogAgent),
            AgentVersion = parse.GetValue(Version),
            SpecialRelays = parse.GetValue(SpecialRelays) ?? [],
        };
        return sources.ConfigFile is null && sources.EnvironmentFile is null && sources.HelmValuesFile is null && sources.DatadogAgentFile is null
            && parse.GetValue(Directory) is null ? null : sources;
    }

    // The folder's files as the agent lays them out; a folder that is not there, or cannot be listed, is one line (exit 1).
    private static AgentConfigurationSources InDirectory(string directory)
    {
        try
        {
            return AgentConfigurationSources.FromDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the agent's configuration: --agent-dir {TerminalText.EscapeWhole(directory)}: " +
                (ex is DirectoryNotFoundException ? "no such folder"
                    : File.Exists(directory) ? "is a file, not a folder: give a datadog.yaml with --agent-config"
                    : ex.Message.StartsWith(directory + ": ", StringComparison.Ordinal) ? ex.Message[(directory.Length + 2)..] : ex.Message));
        }
    }

    /// <summary>
    /// Reads the configuration; a file that cannot be read, is not a regular file (a FIFO, a device, a directory), is
    /// larger than 4 MiB is one line naming it (exit 1); an empty or blank name is a usage error already (exit 2).
    /// </summary>
    /// <remarks>
    /// A version given on the command line that differs from the Helm values' image tag wins, and a warning names both (on
    /// <paramref name="console"/>, unless null).
    /// </remarks>
    public static async Task<AgentPlan> ReadAsync(AgentConfigurationSources sources, CliConsole? console, CancellationToken cancellationToken)
    {
        foreach (string file in new[]
            {
                sources.ConfigFile, sources.SystemProbeConfigFile, sources.SecurityAgentConfigFile, sources.EnvironmentFile, sources.HelmValuesFile, sources.DatadogAgentFile,
            }.OfType<string>())
        {
            try
            {
                using Microsoft.Win32.SafeHandles.SafeFileHandle _ = InputFile.Open(file);
            }
            catch (InputFileException ex)
            {
                throw new CliException($"cannot read the agent's configuration: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw CliException.CannotRead(TerminalText.EscapeWhole(file), ex);
            }
        }

        try
        {
            AgentPlan plan = await AgentConfiguration.ReadAsync(sources, cancellationToken).ConfigureAwait(false);
            if (plan.OverriddenImageVersion is string tag)
            {
                console?.WriteWarning($"--agent-version {plan.AgentVersion} wins over the Helm values' image tag {TerminalText.EscapeWhole(tag)}: " +
                    $"the plan follows Agent {plan.AgentVersion}");
            }

            return plan;
        }
        catch (InputFileException ex)
        {
            throw new CliException($"cannot read the agent's configuration: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the agent's configuration: {ex.Message}");
        }
    }
}
