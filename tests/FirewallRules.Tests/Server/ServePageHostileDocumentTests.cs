using System.Text.Json;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// Documents are untrusted input: a <c>modified</c> field carrying markup, then a document whose new section's name
/// carries markup (refused by the parser, but its refusal is shown on the page), render as text in Chromium, with and
/// without the page's Content-Security-Policy: no dialog, no console error, no request to anything but the mirror.
/// </summary>
[TestFixture]
[Category("Server")]
[Category("Browser")]
public sealed class ServePageHostileDocumentTests
{
    private const string Payload = "<script>alert(1)</script>\"onload=alert(2) x=\"<img src=//evil.example/x onerror=alert(3)>";

    [Test]
    public async Task HostileModifiedAndSectionName_RenderAsText_NoDialogNoErrorNoForeignRequest()
    {
        BrowserCheck.Require();
        string cache = Directory.CreateTempSubdirectory("fwrules-serve-hostile-").FullName;
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(59));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", cache, "--refresh", "1s", "--retries", "0");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);
        upstream.Serve(Edited(60, document => document["modified"] = Payload));
        await MirrorClient.WaitUntilAsync(
            async () => (await http.GetStringAsync(new Uri("healthz", UriKind.Relative))).Contains("version 60", StringComparison.Ordinal), "version 60 never served");
        upstream.Serve(Edited(61, document => document["<script>alert(5)</script>\"onload=alert(6)"] = document["logs"]!.DeepClone()));
        await MirrorClient.WaitUntilAsync(() => Task.FromResult(mirror.Log.Contains("fetch result invalid", StringComparison.Ordinal)), "version 61 was never refused");

        JsonElement seen = await BrowserCheck.RunAsync(mirror.BaseUri, "xss", "us1");

        Assert.That(seen.GetProperty("modified").GetString(), Is.EqualTo(Payload), "the modified field, shown as text");
        Assert.That(seen.GetProperty("health").GetString(), Does.Contain("<script>alert(5)</script>"), "the refused section's name, shown as text");
        Assert.That(seen.GetProperty("injected").GetInt32(), Is.Zero, "elements or handlers made from document text");
        BrowserCheck.AssertClean(seen);
        Directory.Delete(cache, recursive: true);
    }

    private static byte[] Edited(long version, Action<JsonObject> edit)
    {
        JsonObject document = JsonNode.Parse(File.ReadAllBytes(FetchTesting.Document(59)))!.AsObject();
        document["version"] = version;
        edit(document);
        return JsonSerializer.SerializeToUtf8Bytes(document);
    }
}
