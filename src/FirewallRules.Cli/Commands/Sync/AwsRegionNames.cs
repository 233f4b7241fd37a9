using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;
using Amazon;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>--region</c> of the AWS formats, checked as sites and sections are: a name the AWS SDK does not know is a usage
/// error (exit 2) with the nearest region, instead of a run that retries against a host name that does not exist and
/// exits 3. Against an endpoint of your own (<c>AWS_ENDPOINT_URL</c>, <c>AWS_ENDPOINT_URL_EC2</c>: LocalStack, moto),
/// any name is let through: there the region is only a name to sign with.
/// </summary>
internal static class AwsRegionNames
{
    /// <summary>Adds a usage error to <paramref name="result"/> when an AWS format is chosen with a region the SDK does not know.</summary>
    public static void Validate(CommandResult result, Option<string> format, Option<string?> region)
    {
        if (result.GetValue(region) is not string name || result.GetResult(format) is not { Tokens: [var chosen] } || !AwsSyncCommand.Handles(chosen.Value)
            || Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_EC2") is { Length: > 0 } || Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 })
        {
            return;
        }

        // Only now is the SDK named: the other formats and verbs never load it.
        if (Unknown(name) is string error)
        {
            result.AddError(error);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string? Unknown(string name)
    {
        string[] known = [.. RegionEndpoint.EnumerableAllRegions.Select(endpoint => endpoint.SystemName).Order(StringComparer.Ordinal)];
        return known.Contains(name, StringComparer.Ordinal)
            ? null
            : $"--region {name}: not an AWS region this version of fwrules knows (with AWS_ENDPOINT_URL set, any name is let through)."
                + (Suggestions.Nearest(name, known) is string nearest ? $" Did you mean '{nearest}'?" : string.Empty);
    }
}
