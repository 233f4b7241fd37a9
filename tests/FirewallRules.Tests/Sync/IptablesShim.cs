using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A PATH for runs that load iptables rules on a machine whose <c>iptables</c> is only installed under its backend's
/// name (<c>iptables-nft</c>, no alternatives link): a directory of links named as fwrules calls the tools.
/// </summary>
internal static class IptablesShim
{
    private static readonly string[] Tools = ["iptables", "ip6tables", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save"];

    /// <summary>The PATH to run with: the system's when it has <c>iptables</c>, else <paramref name="directory"/>/bin first, filled with links.</summary>
    public static string Path(string directory)
    {
        const string SystemPath = "/usr/sbin:/usr/bin:/sbin:/bin";
        if (LinuxTools.MissingPrerequisite(["iptables", "ip6tables", "iptables-restore", "ip6tables-restore"]) is null)
        {
            return SystemPath;
        }

        string bin = System.IO.Path.Combine(directory, "bin");
        Directory.CreateDirectory(bin);
        foreach (string tool in Tools)
        {
            string link = System.IO.Path.Combine(bin, tool);
            string target = $"/usr/sbin/{tool.Replace("tables", "tables-nft", StringComparison.Ordinal)}";
            if (!File.Exists(link) && File.Exists(target))
            {
                File.CreateSymbolicLink(link, target);
            }
        }

        return $"{bin}:{SystemPath}";
    }
}
