namespace FirewallRules.Tests.Sync;

/// <summary>
/// A PATH whose <c>nft</c> or <c>ipset</c> is a shell wrapper around the real one: the first call with the arguments
/// given and the first input line matching a shell pattern creates a marker file and hangs (sleeps), before or after
/// running the real tool. A stop sent to the sync's process group then kills it at that known point, as systemd's
/// KillMode=control-group kills a tool under way. Every other call runs the real tool.
/// </summary>
internal static class HangingTool
{
    /// <summary>Writes the wrapper into <paramref name="directory"/>/hang and returns the PATH to run with and the marker file.</summary>
    /// <param name="directory">A directory of the test's own.</param>
    /// <param name="tool">The tool to wrap: <c>nft</c>, <c>ipset</c> or <c>iptables-restore</c>.</param>
    /// <param name="args">The arguments of the call to hang, exactly (<c>-f -</c> is nft's load, not its check <c>-c -f -</c>).</param>
    /// <param name="firstLine">A shell pattern for the first line of its input (<c>swap *</c>).</param>
    /// <param name="afterRunning">Run the real tool first (its change is made), else hang before it.</param>
    /// <param name="basePath">The PATH to put the wrapper in front of.</param>
    public static (string Path, string Marker) Create(string directory, string tool, string args, string firstLine, bool afterRunning, string basePath)
    {
        string bin = System.IO.Path.Combine(directory, "hang"), marker = System.IO.Path.Combine(directory, "hanging");
        Directory.CreateDirectory(bin);
        string script = System.IO.Path.Combine(bin, tool);
        File.WriteAllText(script, $$"""
            #!/bin/sh
            input=$(cat)
            first=$(printf '%s\n' "$input" | head -n 1)
            if [ "$*" = '{{args}}' ] && [ ! -e '{{marker}}' ]; then
              case "$first" in
                {{firstLine}})
                  {{(afterRunning ? $"printf '%s\\n' \"$input\" | /usr/sbin/{tool} \"$@\"" : ":")}}
                  echo $$ > '{{marker}}'
                  exec sleep 120
                  ;;
              esac
            fi
            printf '%s\n' "$input" | /usr/sbin/{{tool}} "$@"
            """.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        return ($"{bin}:{basePath}", marker);
    }

    /// <summary>
    /// Waits until a marker names a process, by <paramref name="deadline"/> (at most two minutes from now when not given): enough for a
    /// wrapper that holds in a loop of its own (not the <c>sleep</c> it execs into) and is not what the stop kills.
    /// </summary>
    public static async Task MarkedAsync(string marker, DateTime? deadline = null)
    {
        DateTime until = deadline ?? DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!File.Exists(marker) || File.ReadAllText(marker).Trim().Length == 0)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(until), "the wrapped tool was never called as expected");
            await Task.Delay(50);
        }
    }

    /// <summary>The process id of the hanging tool (the <c>sleep</c> its wrapper became), from its marker.</summary>
    public static int HangingId(string marker) => int.Parse(File.ReadAllText(marker).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until the wrapper hangs (its marker names its process, and that process is the <c>sleep</c>), at most two minutes.</summary>
    public static async Task WaitAsync(string marker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        await MarkedAsync(marker, deadline);

        // The sleep it execs into is what the stop kills: a stop sent before the exec (a loaded machine) would meet the shell.
        string comm = $"/proc/{HangingId(marker)}/comm";
        while (!File.Exists(comm) || File.ReadAllText(comm).Trim() != "sleep")
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the wrapped tool never went to sleep");
            await Task.Delay(20);
        }
    }
}
