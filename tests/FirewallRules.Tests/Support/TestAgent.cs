using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.Support;

/// <summary>The Agent the tests plan for, and its plan from configuration text: written here once for every fixture.</summary>
internal static class TestAgent
{
    /// <summary>
    /// The Agent version a test gives (<c>--agent-version</c>, an image tag) when the version is not what it tests: the newest
    /// this tool knows (src/FirewallRules/Intakes/AgentVersions.cs), written apart from it, so that the tests of the default
    /// check the code against this line rather than read the code's own.
    /// </summary>
    public const string Version = "7.81.1";

    /// <summary><see cref="Version"/> as the metrics intake's host names write it: <c>7-81-1-app.agent.datadoghq.com</c>.</summary>
    public static string InHostNames => Version.Replace('.', '-');

    /// <summary>
    /// The plan of an agent configured by <paramref name="yaml"/> (datadog.yaml), <paramref name="environment"/> (its variables) and
    /// <paramref name="helm"/> (Helm values), as an agent of <paramref name="version"/> reads them; a null version is one not given,
    /// which the planner takes as the newest it knows and says so in a note.
    /// </summary>
    public static AgentPlan Plan(string? yaml, string? environment = null, string? helm = null, string? version = Version) =>
        AgentConfiguration.Parse(yaml, environment, helm, version);
}
