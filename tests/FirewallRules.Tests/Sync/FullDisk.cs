using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A cache directory on a full disk, for one run: the run gets a private mount namespace (<c>unshare -m</c>, propagation
/// private) in which a tiny tmpfs is mounted over the cache, holding a copy of the cache and a filler that takes the rest
/// of its space. When the run ends, the mount goes with its namespace; the real disk is never filled, nothing to clean.
/// </summary>
internal static class FullDisk
{
    private const string Script = """
        set -e
        cache=$1; shift
        copy=$(mktemp -d)
        trap 'rm -rf "$copy"' EXIT
        cp -a "$cache/." "$copy/"
        kib=$(( $(du -sk "$cache" | cut -f1) + 32 ))
        mount -t tmpfs -o size=${kib}k tmpfs "$cache"
        cp -a "$copy/." "$cache/"
        dd if=/dev/zero of="$cache/.filler" bs=1k 2>/dev/null || true
        "$@"
        """;

    // The same for any directory, whose content on the full disk is copied out (without the filler) once the run ends.
    private const string KeepingScript = """
        dir=$1; out=$2; shift 2
        copy=$(mktemp -d)
        trap 'rm -rf "$copy"' EXIT
        cp -a "$dir/." "$copy/"
        kib=$(( $(du -sk "$dir" | cut -f1) + 32 ))
        mount -t tmpfs -o size=${kib}k tmpfs "$dir" || exit 99
        cp -a "$copy/." "$dir/"
        dd if=/dev/zero of="$dir/.filler" bs=1k 2>/dev/null || true
        "$@"; status=$?
        rm -f "$dir/.filler"; mkdir -p "$out"; cp -a "$dir/." "$out/"
        exit $status
        """;

    /// <summary>Runs <c>fwrules sync ARGS</c> in <paramref name="host"/>'s namespace with its cache on a full tmpfs.</summary>
    public static Task<ToolResult> SyncAsync(SyncHost host, string? path, params string[] args)
    {
        Directory.CreateDirectory(host.Cache);
        string[] env = path is null ? [] : [$"PATH={path}"];
        return Task.Run(() => host.Namespace.Exec("unshare",
            ["-m", "--propagation", "private", "sh", "-c", Script, "full-disk", host.Cache, "env", .. env, host.Tool, "sync", .. host.Common, .. args]));
    }

    /// <summary>
    /// Runs <c>fwrules sync ARGS</c> in <paramref name="host"/>'s namespace with <paramref name="directory"/> (the state, say) on
    /// a full tmpfs; what the run left in it is copied to <paramref name="left"/>.
    /// </summary>
    public static Task<ToolResult> SyncOnFullDiskAsync(SyncHost host, string directory, string left, params string[] args)
    {
        Directory.CreateDirectory(directory);
        return Task.Run(() => host.Namespace.Exec("unshare",
            ["-m", "--propagation", "private", "sh", "-c", KeepingScript, "full-disk", directory, left, host.Tool, "sync", .. host.Common, .. args]));
    }
}
