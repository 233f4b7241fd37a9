namespace FirewallRules.Tests.Emitters;

/// <summary>
/// Runs a generated bash script with bash itself, with fake <c>aws</c>, <c>az</c> and <c>gcloud</c> commands first on the PATH that
/// record the arguments bash actually passed them. What bash parsed is what a real CLI would receive, so the
/// recorded calls are the script parsed back, quoting and all.
/// </summary>
internal static class FakeCli
{
    // Arguments end with NUL, calls with RS; "list" and "describe-security-group-rules" calls print $FAKE_LIST (the
    // rules an NSG or the security groups already have), "describe" calls exit with $FAKE_DESCRIBE_EXIT (0: the
    // resource exists).
    private const string Recorder = """
        #!/usr/bin/env bash
        printf '%s\0' "$@" >>"$FAKE_CALLS"
        printf '\036' >>"$FAKE_CALLS"
        case " $* " in
          *" list "* | *" describe-security-group-rules "*) printf '%s' "${FAKE_LIST:-}" ;;
          *" describe "*) exit "${FAKE_DESCRIBE_EXIT:-0}" ;;
        esac
        exit 0
        """;

    public static ScriptRun Run(string script, IReadOnlyDictionary<string, string>? environment = null, string? existingRules = null)
    {
        string bash = ExternalTool.Bash();
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("the fake aws and az commands are bash scripts made executable the Unix way");
        }

        DirectoryInfo directory = Directory.CreateTempSubdirectory("fwrules-cli-");
        try
        {
            string bin = Directory.CreateDirectory(Path.Combine(directory.FullName, "bin")).FullName;
            foreach (string tool in new[] { "aws", "az", "gcloud" })
            {
                string path = Path.Combine(bin, tool);
                File.WriteAllText(path, Recorder.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            string scriptPath = Path.Combine(directory.FullName, "rules.sh");
            File.WriteAllText(scriptPath, script);
            string calls = Path.Combine(directory.FullName, "calls");
            var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
            {
                ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["FAKE_CALLS"] = calls,
                ["FAKE_LIST"] = existingRules ?? string.Empty,
            };
            ToolResult result = ExternalTool.Run(bash, [scriptPath], env, directory.FullName);
            string recorded = File.Exists(calls) ? File.ReadAllText(calls) : string.Empty;
            string[][] parsed = recorded.Split('\u001e', StringSplitOptions.RemoveEmptyEntries)
                .Select(call => call.Split('\0')[..^1])
                .ToArray();
            string[] leftovers = Directory.GetFileSystemEntries(directory.FullName).Select(Path.GetFileName).Except(["bin", "rules.sh", "calls"]).ToArray()!;
            return new ScriptRun(result.ExitCode, result.Error, parsed, leftovers);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

/// <summary>What a script run did: its exit code, its error output, the CLI calls, and any file it created besides its own.</summary>
internal sealed record ScriptRun(int ExitCode, string Error, IReadOnlyList<string[]> Calls, IReadOnlyList<string> CreatedFiles);
