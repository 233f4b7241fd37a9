using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FirewallRules.Emitters.WebServer;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.WebServer;

/// <summary>
/// The <c>caddy</c> snippet placed as its header says in a site whose endpoint is served from <c>handle</c>, <c>handle_path</c> and
/// <c>route</c> blocks, in Debian's Caddy: Caddy runs those blocks before a <c>respond</c> of the site block, so the site's line
/// alone lets every client in there; the line the header gives for each such block refuses the others in each.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed partial class CaddyBlockOrderTests
{
    private const int Port = 30_200;

    private static readonly string[] Paths = ["/hooks/deploy", "/p/deploy", "/r/deploy", "/"];

    [Test]
    public async Task Caddy_EndpointInHandleHandlePathAndRouteBlocks_RefusesOthersInEach_OnlyWithTheHeadersLineInEachBlock()
    {
        LinuxTools.Require("caddy", "ip", "ss");
        RuleSet rules = RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json"), Site.US1), Section.Webhooks);
        IPAddress inside = rules.Prefixes.First().BaseAddress, outside = IPAddress.Parse("198.51.100.7");
        string snippet = rules.ToCaddy(new WebServerOptions { Name = "dd" });
        string[] site = [.. snippet.Split('\n').Where(line => line.StartsWith("#   ", StringComparison.Ordinal)).Select(line => line[4..])];
        Match block = BlockLine().Match(snippet.Replace("\n# ", " ", StringComparison.Ordinal));
        Assert.That(block.Success, Is.True, $"the header gives the line for handle, handle_path and route blocks:\n{snippet}");

        string directory = ServerProcess.NewDirectory("caddy-blocks");
        File.WriteAllText(Path.Combine(directory, "dd.caddy"), snippet);
        string SiteBlock(int port, string first) => string.Create(CultureInfo.InvariantCulture, $$"""
            http://:{{port}} {
                {{string.Join("\n    ", site.Select(line => line.Replace("/etc/caddy/", directory + "/", StringComparison.Ordinal)))}}
                handle /hooks/* {
                    {{first}}
                    respond "hook" 200
                }
                handle_path /p/* {
                    {{first}}
                    respond "path" 200
                }
                route /r/* {
                    {{first}}
                    respond "route" 200
                }
                respond "ok" 200
            }

            """);
        string conf = Path.Combine(directory, "Caddyfile");
        File.WriteAllText(conf, "{\n    admin off\n    auto_https off\n}\n" + SiteBlock(Port, block.Groups[1].Value) + SiteBlock(Port + 1, string.Empty));
        using WebServerLab lab = WebServerLab.Create([inside, outside]);
        using ServerProcess caddy = ServerProcess.Start(lab.Namespace, directory, [Port, Port + 1], ["caddy", "run", "--config", conf, "--adapter", "caddyfile"],
            new Dictionary<string, string> { ["HOME"] = directory, ["XDG_CONFIG_HOME"] = directory, ["XDG_DATA_HOME"] = directory });

        Assert.That(await AskAsync(lab, Port, inside, outside), Is.EqualTo(Paths.Select(p => $"{p}: 403 from outside, 200 from Datadog")));
        Assert.That(await AskAsync(lab, Port + 1, inside, outside), Is.EqualTo(Paths.Select(p => $"{p}: {(p == "/" ? 403 : 200)} from outside, 200 from Datadog")),
            "without the line in each block, the site's own respond never meets a request a block serves");
    }

    private static async Task<string[]> AskAsync(WebServerLab lab, int port, IPAddress inside, IPAddress outside)
    {
        var seen = new List<string>();
        foreach (string path in Paths)
        {
            int fromOutside = await lab.AskAsync(port, new WebProbe(ProbeKind.Direct, outside, [], null) { Path = path });
            int fromInside = await lab.AskAsync(port, new WebProbe(ProbeKind.Direct, inside, [], null) { Path = path });
            seen.Add($"{path}: {fromOutside} from outside, {fromInside} from Datadog");
        }

        return [.. seen];
    }

    [GeneratedRegex("handle, handle_path and route blocks .*?put '([^']+)' first in each such block")]
    private static partial Regex BlockLine();
}
