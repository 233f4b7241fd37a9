using System.Globalization;
using System.Net;
using System.Text.Json;
using FirewallRules.Advice;
using FirewallRules.Cidr;
using FirewallRules.IO;

namespace FirewallRules.Sync;

/// <summary>Reads and writes <c>state.json</c> in the sync state directory, atomically and flushed to disk.</summary>
internal sealed class SyncStateFile(string directory)
{
    /// <summary>The sync state directory the file is in.</summary>
    public string Directory { get; } = directory;

    /// <summary>The file.</summary>
    public string FilePath { get; } = Path.Combine(directory, "state.json");

    /// <summary>The state, or a new one when there is none yet.</summary>
    /// <exception cref="FirewallSyncException">The file is damaged, or belongs to another site.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public SyncState Read(Site site)
    {
        if (!Exists())
        {
            return new SyncState { Source = site.IpRangesUri.AbsoluteUri };
        }

        SyncState state;
        try
        {
            // Never through a link, never a FIFO or device, never more than MaxBytes.
            byte[] bytes = InputFile.ReadTrustedBytes(FilePath, MaxBytes);
            state = JsonSerializer.Deserialize(bytes, SyncJsonContext.Default.SyncState) is { Published: not null, Source: not null } read
                && read.Published.Values.All(section => section is not null)
                && (read.Applied is null
                    || (read.Applied is { Sections: not null, Kernel: not null, Settings: not null } && read.Applied.Sections.Values.All(list => list is not null)))
                ? read
                : throw new JsonException("a required field is missing");
            // Written before the state kept vouched (0.2.0): its confirmation is taken as that version took it, as vouched for.
            state.Vouched = state.VouchedRead ? state.Vouched : state.Confirmed;
            _ = LastSeen(state);
            _ = state.Applied is { } applied ? Sections(applied) : null;
        }
        catch (InputFileException ex) when (ex.TooLarge)
        {
            throw new FirewallSyncException(new SettingAdvice(
                $"the sync state {SyncAdvice.Literal(ex.Message)} (a record of every prefix of every section is well under 1 MiB); move it away to start " +
                    "afresh (prefixes kept by {0} then go at once); the firewall was left as it was", SyncAdvice.KeepRemoved));
        }
        catch (InputFileException ex)
        {
            throw new FirewallSyncException($"the sync state {ex.Message}; replace it with a regular file or move it away; the firewall was left as it was");
        }
        catch (Exception ex) when (ex is JsonException or PrefixFormatException or ArgumentException)
        {
            throw new FirewallSyncException(new SettingAdvice(
                $"the sync state {SyncAdvice.Literal(FilePath)} is damaged ({SyncAdvice.Literal(ex.Message)}); move it away to start afresh (prefixes kept by {{0}} " +
                    "then go at once); the firewall was left as it was", SyncAdvice.KeepRemoved));
        }

        return state.Source == site.IpRangesUri.AbsoluteUri
            ? state
            : throw new FirewallSyncException(new SettingAdvice(
                $"the sync state {SyncAdvice.Literal(FilePath)} belongs to {SyncAdvice.Literal(state.Source)}, not {SyncAdvice.Literal(site.IpRangesUri.AbsoluteUri)}: " +
                    "use another {0} for each site; the firewall was left as it was", SyncAdvice.State));
    }

    /// <summary>Replaces the file.</summary>
    /// <exception cref="IOException">It cannot be written; the old file is untouched.</exception>
    /// <exception cref="FirewallSyncException">The path is a link or a special file: it is not written through.</exception>
    public Task WriteAsync(SyncState state, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsLinux() && UnixFileStatus.Read(FilePath, followLinks: false) is { Kind: not UnixFileKind.Regular } other)
        {
            throw new FirewallSyncException($"the sync state {FilePath} is {InputFile.Describe(other.Kind)}, which is never written through: replace it with " +
                $"a regular file or move it away");
        }

        return AtomicFile.WriteAsync(FilePath, (stream, ct) => JsonSerializer.SerializeAsync(stream, state, SyncJsonContext.Default.SyncState, ct),
            durable: true, cancellationToken);
    }

    /// <summary>When each prefix was last seen published, per section.</summary>
    /// <exception cref="PrefixFormatException">A prefix in the file is not valid.</exception>
    /// <remarks>One prefix written two ways (<c>203.0.113.7</c> and <c>203.0.113.7/32</c>) is one prefix, last seen at the later time.</remarks>
    public static Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> LastSeen(SyncState state) =>
        state.Published.ToDictionary(
            section => section.Key,
            section => section.Value
                .Select(entry => (Prefix: ParsePrefix(entry.Key), At: entry.Value))
                .GroupBy(entry => entry.Prefix)
                .ToDictionary(group => group.Key, group => group.Max(entry => entry.At)),
            StringComparer.Ordinal);

    /// <summary>The prefixes applied, per section.</summary>
    /// <exception cref="PrefixFormatException">A prefix in the file is not valid.</exception>
    public static Dictionary<string, PrefixSet> Sections(AppliedRules applied) =>
        applied.Sections.ToDictionary(section => section.Key, section => PrefixSet.Parse(string.Join('\n', section.Value)), StringComparer.Ordinal);

    // Whether anything is at the path, the path itself (a dangling link counts).
    private bool Exists() => OperatingSystem.IsLinux() ? UnixFileStatus.Read(FilePath, followLinks: false) is not null : File.Exists(FilePath);

    /// <summary>The form <see cref="SyncState.Published"/> is written in.</summary>
    public static Dictionary<string, Dictionary<string, DateTimeOffset>> Serialize(IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen) =>
        lastSeen.ToDictionary(
            section => section.Key,
            section => section.Value.OrderBy(entry => entry.Key.BaseAddress.AddressFamily).ThenBy(entry => entry.Key.ToString(), StringComparer.Ordinal)
                .ToDictionary(entry => entry.Key.ToString(), entry => entry.Value),
            StringComparer.Ordinal);

    /// <summary>The form <see cref="AppliedRules.Sections"/> is written in.</summary>
    public static Dictionary<string, List<string>> Serialize(IReadOnlyDictionary<string, PrefixSet> sections) =>
        sections.ToDictionary(section => section.Key, section => section.Value.Select(p => p.ToString()).ToList(), StringComparer.Ordinal);

    /// <summary>The largest state file read (a record of every prefix of every section is well under 1 MiB).</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>One prefix of the record.</summary>
    /// <exception cref="PrefixFormatException">The text is not one prefix.</exception>
    public static IPNetwork ParsePrefix(string text) =>
        PrefixSet.Parse(text) is { Count: 1 } one ? one.First()
            : throw new PrefixFormatException(string.Create(CultureInfo.InvariantCulture, $"'{TerminalText.Escape(text)}' is not one prefix"));
}
