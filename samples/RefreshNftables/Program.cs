// Keeps a host's nftables allow-list for Datadog in step with the published ranges; run it from cron.
//   dotnet run --project samples/RefreshNftables -- SITE CACHE-DIR OUTPUT-DIR
// SITE is a site name (us1, eu1, ...) or a mirror's base URL. Writes OUTPUT-DIR/datadog.nft (the whole
// table, for `nft -f`) and, when an earlier version is cached, OUTPUT-DIR/datadog-update.nft (only the
// elements that changed). Exit codes: 0 written or not modified, 1 refused or invalid, 3 network failure.
using FirewallRules;
using FirewallRules.Fetching;
using FirewallRules.Ranges;
using Microsoft.Extensions.DependencyInjection;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: RefreshNftables SITE CACHE-DIR OUTPUT-DIR");
    return 2;
}

Site site = Uri.TryCreate(args[0], UriKind.Absolute, out Uri? mirror) ? Site.Custom(mirror) : Site.Parse(args[0]);
var services = new ServiceCollection();
services.AddIpRangesClient(); // plain http is allowed to loopback mirrors only
await using ServiceProvider provider = services.BuildServiceProvider();
var client = provider.GetRequiredService<IpRangesClient>();
var store = new SnapshotStore(args[1]);

SnapshotUpdate update;
try
{
    update = await store.UpdateAsync(client, site);
}
catch (Exception ex) when (ex is IpRangesFormatException or SnapshotRefusedException)
{
    Console.Error.WriteLine($"refused, the cache and the rules are unchanged: {ex.Message}");
    return 1;
}
catch (IpRangesFetchException ex)
{
    Console.Error.WriteLine($"{ex.Message}; the cache and the rules are unchanged");
    return 3;
}

if (update.IsNotModified)
{
    Console.WriteLine($"{update.Current}: not modified");
    return 0;
}

RuleSet rules = RuleSet.All(update.Current);
Directory.CreateDirectory(args[2]);
await WriteAtomicallyAsync(Path.Combine(args[2], "datadog.nft"), rules.ToNftables());
Console.WriteLine($"{update.Current}: wrote datadog.nft");
if (update.Previous is { } previous)
{
    await WriteAtomicallyAsync(Path.Combine(args[2], "datadog-update.nft"), rules.ToNftablesUpdate(RuleSet.All(previous)));
    Console.WriteLine("wrote datadog-update.nft");
    Console.Write(previous.DiffTo(update.Current).ToText());
}

return 0;

// A reader (or `nft -f` from another cron job) sees the old file or the new one, never half of one.
static async Task WriteAtomicallyAsync(string path, string text)
{
    string temporary = path + ".tmp";
    await File.WriteAllTextAsync(temporary, text);
    File.Move(temporary, path, overwrite: true);
}
