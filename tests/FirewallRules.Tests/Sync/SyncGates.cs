using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using Microsoft.AspNetCore.Http;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// Holds host syncs at their steps, for a test to interleave them: every <c>nft</c> call a sync makes (its reads of the kernel, its
/// check, its apply, its read-back) goes through a wrapper on its PATH that announces itself and waits to be let go, and every fetch
/// of the document waits at the mirror the same way. A step waiting is a gate; <see cref="Inside"/> is how many syncs are at one.
/// Which sync holds <c>sync.lock</c> is read from <c>/proc/locks</c>: a sync that is at no gate while another holds the lock is waiting
/// for it.
/// </summary>
internal sealed class SyncGates : IDisposable
{
    private readonly string _gates;
    private readonly string _lock;
    private readonly List<(TaskCompletionSource Go, int? Sync)> _fetches = [];
    private string? _inode;

    /// <param name="directory">A directory of the test's own: the wrapper and its gate files go there.</param>
    /// <param name="stateDirectory">The syncs' state directory (its <c>sync.lock</c>).</param>
    public SyncGates(string directory, string stateDirectory)
    {
        _gates = Path.Combine(directory, "gates");
        _lock = Path.Combine(stateDirectory, "sync.lock");
        string bin = Path.Combine(directory, "gated");
        Directory.CreateDirectory(_gates);
        Directory.CreateDirectory(bin);
        string script = Path.Combine(bin, "nft");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            gate='{{_gates}}'/$$
            printf '%s %s\n' "$PPID" "$*" > "$gate.new" && mv "$gate.new" "$gate.call"
            while [ ! -e "$gate.go" ]; do sleep 0.01; done
            rm -f "$gate.go" "$gate.call"
            exec /usr/sbin/nft "$@"
            """.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Path_ = $"{bin}:/usr/sbin:/usr/bin:/sbin:/bin";
    }

    /// <summary>The PATH a gated sync runs with.</summary>
    public string Path_ { get; }

    /// <summary>The gates now waiting: each with the sync at it (null: a fetch while no sync holds the lock) and the step.</summary>
    public IReadOnlyList<(string Id, int? Sync, string Step)> Waiting()
    {
        var waiting = new List<(string, int?, string)>();
        foreach (string call in Directory.GetFiles(_gates, "*.call"))
        {
            string[] parts = (ReadOrEmpty(call) + " ").Split(' ', 2);
            if (int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int parent))
            {
                waiting.Add((Path.GetFileNameWithoutExtension(call), parent, $"nft {parts[1].Trim()}"));
            }
        }

        lock (_fetches)
        {
            waiting.AddRange(_fetches.Select((f, i) => ($"fetch{i}", f.Sync, "fetch")).Where((_, i) => !_fetches[i].Go.Task.IsCompleted));
        }

        return waiting;
    }

    /// <summary>How many syncs are at a gate: more than one means two runs are past the lock at once.</summary>
    public int Inside => Waiting().Count;

    /// <summary>Lets the step at gate <paramref name="id"/> go on.</summary>
    public void Release(string id)
    {
        if (id.StartsWith("fetch", StringComparison.Ordinal))
        {
            lock (_fetches)
            {
                _fetches[int.Parse(id.AsSpan(5), CultureInfo.InvariantCulture)].Go.TrySetResult();
            }

            return;
        }

        File.WriteAllText(Path.Combine(_gates, $"{id}.go"), string.Empty);
        // Gone from the gates at once: the wrapper may take a while to see its go on a loaded machine.
        File.Delete(Path.Combine(_gates, $"{id}.call"));
    }

    /// <summary>The process holding <c>sync.lock</c> (its <c>flock</c>, from <c>/proc/locks</c>), or null.</summary>
    public int? LockHolder()
    {
        if (_inode is null && File.Exists(_lock))
        {
            // The lock file is made once and never replaced: its inode is read once.
            _inode = LinuxTools.Run("stat", ["-c", "%i", _lock]).Succeeded().Trim();
        }

        if (_inode is not { } inode)
        {
            return null;
        }

        foreach (string line in File.ReadAllLines("/proc/locks"))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
            if (fields.Length > 5 && fields[1] == "FLOCK" && fields[5].EndsWith($":{inode}", StringComparison.Ordinal))
            {
                return int.Parse(fields[4], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>
    /// The mirror's answer to a fetch once its gate is let go: <paramref name="document"/> with its version as ETag, or 304 when the
    /// request names that ETag. The fetch is the lock holder's (a sync fetches only after it took the lock).
    /// </summary>
    public Func<HttpContext, CancellationToken, Task> Fetch(Func<byte[]> document) => async (context, token) =>
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_fetches)
        {
            _fetches.Add((go, LockHolder()));
        }

        await go.Task.WaitAsync(token);
        byte[] body = document();
        string eTag = $"\"v{JsonNode.Parse(body)!["version"]}\"";
        context.Response.Headers.ETag = eTag;
        context.Response.Headers.LastModified = IpRangesServer.LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (context.Request.Headers.IfNoneMatch.ToString() == eTag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        await IpRangesServer.Body(body)(context, token);
    };

    /// <summary>Every gate let go (the end of a test, or a violation found: nothing is held any more).</summary>
    public void ReleaseAll()
    {
        foreach ((string id, _, _) in Waiting())
        {
            Release(id);
        }
    }

    public void Dispose() => ReleaseAll();

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>Starts <c>fwrules ARGS</c> in <paramref name="host"/>'s namespace with the gated PATH; its process id is the sync's.</summary>
    public Process Start(SyncHost host, params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["netns", "exec", host.Namespace.Name, "env", $"PATH={Path_}", host.Tool, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("ip did not start");
    }
}
