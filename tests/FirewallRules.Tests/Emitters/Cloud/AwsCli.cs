using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The real AWS CLI against <see cref="MotoServer"/>: runs aws-sg scripts unmodified with bash, and reads groups back
/// with <c>aws ec2 describe-security-groups</c>. Every call starts warm (<see cref="WarmCli"/>: the CLI's own entry
/// script in a process forked from one that has imported botocore), one server for the whole run.
/// </summary>
internal static partial class AwsCli
{
    private static readonly Lock Gate = new();
    private static WarmCli? _warm;

    /// <summary>
    /// Stands in front of the real aws and fails one call, the first whose arguments contain <c>$FAULT_MATCH</c>, the
    /// way AWS answers a throttled request; every other call goes to the real CLI unchanged.
    /// </summary>
    private const string FaultInjector = """
        #!/usr/bin/env bash
        if [[ -n ${FAULT_MATCH:-} && " $* " == *"$FAULT_MATCH"* && ! -e $FAULT_DONE ]]; then
          : >"$FAULT_DONE"
          printf '\nAn error occurred (RequestLimitExceeded) when calling the %s operation: Request limit exceeded.\n' "$2" >&2
          exit 254
        fi
        exec "$REAL_AWS" "$@"
        """;

    /// <summary>Creates a VPC and one new group per variable the script reads, as its header asks: the variables and their ids.</summary>
    public static async Task<Dictionary<string, string>> CreateGroupsForAsync(string script)
    {
        MotoServer moto = MotoServer.Shared;
        string vpc = await moto.CreateVpcAsync();
        var groups = new Dictionary<string, string>();
        foreach (Match variable in GroupVariable().Matches(script))
        {
            groups[variable.Groups["variable"].Value] = await moto.CreateSecurityGroupAsync(vpc, variable.Groups["name"].Value);
        }

        Assert.That(groups, Is.Not.Empty, "the script reads no group id");
        return groups;
    }

    /// <summary>Runs the script with bash, the group ids in their variables, and the real aws on the PATH pointed at moto.</summary>
    /// <param name="failCallMatching">When set, the first aws call whose arguments contain it fails (see <see cref="FaultInjector"/>).</param>
    public static ToolResult RunScript(string script, IReadOnlyDictionary<string, string> groups, string[]? args = null, string? failCallMatching = null)
    {
        string bash = ExternalTool.Bash();
        WarmCli warm = Warm;
        string aws = warm.Command;
        using var files = new TempFiles();
        string path = files.Write("rules.sh", script);
        var environment = new Dictionary<string, string>(MotoServer.Shared.Environment)
        {
            ["PATH"] = warm.Folder + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
        };
        foreach ((string variable, string id) in groups)
        {
            environment[variable] = id;
        }

        if (failCallMatching is not null)
        {
            string injector = files.Write(Path.Combine("bin", "aws"), FaultInjector + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(injector, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            environment["PATH"] = Path.GetDirectoryName(injector) + Path.PathSeparator + environment["PATH"];
            environment["REAL_AWS"] = aws;
            environment["FAULT_MATCH"] = failCallMatching;
            environment["FAULT_DONE"] = Path.Combine(Path.GetDirectoryName(path)!, "fault-done");
        }

        // A hang guard: the longest script (v36 egress, 27 steps) takes under a minute alone, far more on a machine shared by builds.
        return ExternalTool.Run(bash, [path, .. args ?? []], environment, timeout: TimeSpan.FromMinutes(15));
    }

    /// <summary>The groups as AWS now holds them, every rule of both directions.</summary>
    public static AwsOutput Describe(IEnumerable<string> groupIds) =>
        AwsOutput.FromDescribe(Ec2(["describe-security-groups", "--group-ids", .. groupIds]));

    /// <summary>Every group of the VPC but its own default group, and, when asked, the prefix lists their rules reference.</summary>
    public static AwsOutput DescribeVpc(string vpc, bool withPrefixLists = false)
    {
        AwsOutput groups = AwsOutput.FromDescribe(Ec2(["describe-security-groups", "--filters", $"Name=vpc-id,Values={vpc}"]));
        if (!withPrefixLists)
        {
            return groups;
        }

        string[] ids = [.. groups.Rules.Select(r => r.PrefixList).OfType<string>().Distinct()];
        using System.Text.Json.JsonDocument described = System.Text.Json.JsonDocument.Parse(Ec2(["describe-managed-prefix-lists", "--prefix-list-ids", .. ids]));
        var lists = described.RootElement.GetProperty("PrefixLists").EnumerateArray().Select(list =>
        {
            string id = list.GetProperty("PrefixListId").GetString()!;
            using System.Text.Json.JsonDocument entries = System.Text.Json.JsonDocument.Parse(Ec2(["get-managed-prefix-list-entries", "--prefix-list-id", id]));
            return new AwsList(id, list.GetProperty("AddressFamily").GetString()!, list.GetProperty("MaxEntries").GetInt32(),
                [.. entries.RootElement.GetProperty("Entries").EnumerateArray().Select(e => e.GetProperty("Cidr").GetString()!)]);
        }).ToArray();
        return new AwsOutput(groups.Rules, lists);
    }

    /// <summary>Runs the real aws against moto and returns what it did, failed or not.</summary>
    public static ToolResult Run(params string[] args) =>
        ExternalTool.Run(Warm.Command, args, MotoServer.Shared.Environment, timeout: TimeSpan.FromMinutes(5));

    /// <summary>Stops the run's warm AWS CLI server (<see cref="SharedLifetime"/>).</summary>
    public static void StopShared()
    {
        lock (Gate)
        {
            _warm?.Dispose();
            _warm = null;
        }
    }

    // The run's warm AWS CLI, started on first use: botocore and every awscli customization imported once.
    private static WarmCli Warm
    {
        get
        {
            lock (Gate)
            {
                return _warm ??= WarmCli.Start(ExternalTool.Command("aws"), MotoServer.Shared.Environment, [], "awscli.clidriver", "awscli.handlers");
            }
        }
    }

    // One aws ec2 call against moto, its JSON output.
    private static string Ec2(string[] args)
    {
        ToolResult result = Run(["ec2", .. args, "--output", "json"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"aws ec2 {string.Join(' ', args)}: {result.Error}");
        return result.Output;
    }

    [GeneratedRegex(@"=\$\(group_id (?<variable>[A-Z0-9_]+) (?<name>[a-z0-9-]+)\)")]
    private static partial Regex GroupVariable();
}
