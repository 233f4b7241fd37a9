using FirewallRules.Fetching;
using FirewallRules.IO;

namespace FirewallRules.Server;

/// <summary>
/// An input file of an offline mirror whose document the snapshot store refused (the message names the file); the earlier
/// files' documents are stored.
/// </summary>
internal sealed class OfflineInputRefusedException(string file, SnapshotRefusedException refusal)
    : Exception($"{TerminalText.EscapeWhole(file)}: {refusal.Message}", refusal)
{
    /// <summary>The store's refusal.</summary>
    public SnapshotRefusedException Refusal { get; } = refusal;
}
