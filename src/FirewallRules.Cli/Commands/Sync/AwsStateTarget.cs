using System.Text;
using System.Text.Json;
using FirewallRules.Aws;
using FirewallRules.IO;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The region and account an account sync's state was written for (<c>STATE/aws/NAME/target.json</c>, beside
/// <c>state.json</c>). The state remembers when each prefix was last published for the lists of one account and region;
/// used for another it would put that account's kept prefixes into lists that never held them, and drop what it keeps.
/// So a run whose region or account is not the state's is refused before anything is fetched or changed, naming both.
/// </summary>
/// <remarks>
/// Refused rather than kept apart silently (a state per region under one <c>--state</c>): the operator who points two
/// regions at one state directory learns it in one line and picks the directory each gets, and a state written before
/// this file existed (an earlier release's, which names no region) is not left behind unseen: the first run adopts it.
/// The account is the owner of the lists read; with none yet (a first run, or <c>--cidr-rules</c>) only the region is checked.
/// </remarks>
/// <param name="Region">The region the state was written for.</param>
/// <param name="Account">The account, when it was known.</param>
internal sealed record AwsStateTarget(string Region, string? Account)
{
    private const int MaxBytes = 4096;

    /// <summary>The file's path in the state directory <paramref name="directory"/> (<c>STATE/aws/NAME</c>).</summary>
    public static string PathIn(string directory) => Path.Combine(directory, "target.json");

    /// <summary>The target recorded in <paramref name="directory"/>; null when none is (a new state, or an earlier release's).</summary>
    /// <exception cref="AwsSyncException">The file is damaged.</exception>
    public static AwsStateTarget? Read(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(InputFile.ReadAllBytes(path, MaxBytes, followLinks: false));
            string region = json.RootElement.GetProperty("region").GetString() is { Length: > 0 } r ? r : throw new JsonException("no region");
            string? account = json.RootElement.TryGetProperty("account", out JsonElement a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            return new AwsStateTarget(region, account);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or InputFileException)
        {
            throw new AwsSyncException($"the sync state {path} is damaged ({ex.Message}); move it away (the next run writes it again); the account was left as it was");
        }
    }

    /// <summary>Refuses a run in <paramref name="region"/> (and <paramref name="account"/>, when known) with a state written for another.</summary>
    /// <exception cref="AwsSyncException">The state is another region's or account's.</exception>
    public void Check(string directory, string region, string? account)
    {
        bool otherRegion = !string.Equals(Region, region, StringComparison.Ordinal);
        bool otherAccount = account is not null && Account is not null && !string.Equals(Account, account, StringComparison.Ordinal);
        if (otherRegion || otherAccount)
        {
            throw new AwsSyncException($"the sync state {directory} was written for {Describe(Region, Account)}, not {Describe(region, account)}: the prefixes " +
                "it keeps in grace are that account's and region's; give each account and region its own --state (or its own --name); the account was left as it was");
        }
    }

    /// <summary>Writes <paramref name="target"/> into <paramref name="directory"/>, atomically.</summary>
    public static Task WriteAsync(string directory, AwsStateTarget target, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(PathIn(directory), async (stream, ct) =>
        {
            await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("region", target.Region);
            if (target.Account is not null)
            {
                writer.WriteString("account", target.Account);
            }

            writer.WriteEndObject();
            await writer.FlushAsync(ct).ConfigureAwait(false);
            await stream.WriteAsync(Encoding.UTF8.GetBytes("\n"), ct).ConfigureAwait(false);
        }, durable: true, cancellationToken);

    /// <summary><c>region us-east-1, account 123456789012</c>, or the region alone when the account is not known.</summary>
    public static string Describe(string region, string? account) => account is null ? $"region {region}" : $"region {region}, account {account}";
}
