using System.CommandLine;

namespace FirewallRules.Cli;

/// <summary>The options of every verb that fetches: <c>--site</c>, <c>--base-url</c>, <c>--retries</c>, <c>--allow-http</c>.</summary>
internal sealed class RemoteSourceOptions(params string[] siteAliases)
{
    public Option<Site> Site { get; } = CommonOptions.Site(siteAliases);

    public Option<Site?> BaseUrl { get; } = CommonOptions.BaseUrl();

    public Option<int> Retries { get; } = CommonOptions.Retries();

    public Option<bool> AllowHttp { get; } = CommonOptions.AllowHttp();

    public IEnumerable<Option> All => [Site, BaseUrl, Retries, AllowHttp];

    /// <summary>The site and mirror the command line names (each null when not given), to check against an agent's configuration.</summary>
    public Commands.SiteChoice Named(ParseResult parse) =>
        new(parse.GetResult(Site) is { Implicit: false } ? parse.GetValue(Site) : null, parse.GetValue(BaseUrl));

    /// <summary>The source the command line names; <c>--base-url</c> overrides <c>--site</c>.</summary>
    public RemoteSource Bind(ParseResult parse) =>
        new(parse.GetValue(BaseUrl) ?? parse.GetValue(Site)!, parse.GetValue(Retries), parse.GetValue(AllowHttp), parse.GetValue(CommonOptions.Quiet));
}
