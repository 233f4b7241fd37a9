using FirewallRules.Emitters.Aws;

namespace FirewallRules.Cli.Commands;

/// <summary>What the verbs say about an AWS format beyond its output: a CloudFormation template too big for a request gets a note on how to deploy it.</summary>
internal static class AwsFormats
{
    /// <summary>
    /// Notes on stderr that a CloudFormation template (<paramref name="format"/>) of <paramref name="bytes"/> UTF-8 bytes is over what CloudFormation
    /// takes in a request, and how to deploy it through S3; says nothing for other formats or a template that fits.
    /// </summary>
    public static void WriteDeployNote(CliConsole console, string format, long bytes)
    {
        if (string.Equals(format, FormatNames.CloudFormation, StringComparison.OrdinalIgnoreCase) && CloudFormationJson.DeployNote(bytes) is string deploy)
        {
            console.WriteNote($"note: {deploy}");
        }
    }
}
