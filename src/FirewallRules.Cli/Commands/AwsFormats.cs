using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The AWS formats the verbs treat apart, as the emitters name them: PrivateLink writes its endpoints only in
/// CloudFormation and Terraform, and a CloudFormation template too big for a request gets a note on how to deploy it.
/// </summary>
internal static class AwsFormats
{
    /// <summary>The CloudFormation format's name.</summary>
    public static string CloudFormation { get; } = FormatOf(new CloudFormationEmitter());

    /// <summary>The Terraform format's name.</summary>
    public static string Terraform { get; } = FormatOf(new TerraformEmitter());

    /// <summary>Whether <paramref name="format"/>, as the user typed it, names <paramref name="name"/>.</summary>
    public static bool Is(string format, string name) => string.Equals(format, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Notes on stderr that a CloudFormation template (<paramref name="format"/>) of <paramref name="bytes"/> UTF-8 bytes is over what CloudFormation
    /// takes in a request, and how to deploy it through S3; says nothing for other formats or a template that fits.
    /// </summary>
    public static void WriteDeployNote(CliConsole console, string format, long bytes)
    {
        if (Is(format, CloudFormation) && CloudFormationJson.DeployNote(bytes) is string deploy)
        {
            console.WriteNote($"note: {deploy}");
        }
    }

    private static string FormatOf(IRuleEmitter emitter) => emitter.Format;
}
