using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security;
using System.Xml.Linq;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// A loopback proxy in front of <see cref="MotoServer"/> that answers for prefix lists the way AWS documents and moto
/// 5.2.1 does not (read in its <c>ec2/models/managed_prefixes.py</c>): a <c>ModifyManagedPrefixList</c> whose
/// <c>CurrentVersion</c> is not the list's version fails (moto rebuilds from the older version, undoing the other
/// writer), entries beyond <c>MaxEntries</c> fail (moto does not count), a resize is a call of its own and is kept
/// (moto ignores it), and <c>RestoreManagedPrefixListVersion</c> works (moto does not implement it). A security group
/// rule that references a prefix list keeps the description it was authorized with, as AWS keeps it (moto lacks AWS
/// behaviour here: its <c>ec2/models/security_groups.py</c> takes a rule's description from its CIDR alone and drops that of a
/// prefix list reference), so a sync tells its own rules by their descriptions against moto as against AWS. Every other call
/// goes to moto unchanged.
/// </summary>
/// <remarks>
/// It records every modify call with the version it carried and the version the list had, so a test proves that each
/// write was checked, and lets a test act before a modify reaches moto: change the list by hand, fail the call, or hold it.
/// </remarks>
internal sealed class MotoPrefixListProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MotoServer _server;
    private readonly HttpClient _moto;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, int> _sizes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ModifyCall> _calls = new();

    private MotoPrefixListProxy(WebApplication app, MotoServer server, HttpClient moto)
    {
        _app = app;
        _server = server;
        _moto = moto;
    }

    /// <summary>The proxy's address, for <c>AWS_ENDPOINT_URL</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>What the AWS CLI or fwrules needs to reach moto through the proxy.</summary>
    public Dictionary<string, string> Environment => new(_server.Environment) { ["AWS_ENDPOINT_URL"] = Endpoint.AbsoluteUri.TrimEnd('/') };

    /// <summary>Every modify and restore call, in order.</summary>
    public IReadOnlyList<ModifyCall> Calls => [.. _calls];

    /// <summary>
    /// Runs before a modify call is checked (with the list's entries and version as moto holds them): returning an error
    /// code fails the call with it; null lets it through.
    /// </summary>
    public Func<ModifyCall, Task<string?>>? BeforeModify { get; set; }

    /// <summary>
    /// Runs before any other call (by its action, e.g. <c>AuthorizeSecurityGroupEgress</c>, and its form) reaches moto:
    /// returning an error code answers the call with it, whole, as AWS fails a call; null lets it through.
    /// </summary>
    public Func<string, IReadOnlyDictionary<string, string>, Task<string?>>? BeforeForward { get; set; }

    /// <summary>
    /// Runs first, before any call is answered or checked, with its action, the access key it was signed with (which runner made it) and
    /// its form: a test holds a runner's call here, outside the modify check's lock, to interleave two runners call by call.
    /// </summary>
    public Func<string, string, IReadOnlyDictionary<string, string>, Task>? BeforeAnyCall { get; set; }

    /// <summary>False to answer a resize as moto does: the call succeeds and the list keeps its size (a change AWS took and did not keep).</summary>
    public bool KeepsResizes { get; set; } = true;

    /// <summary>
    /// Runs after a modify call went through to moto: from then on every request loses its connection before an answer
    /// while this returns true (the endpoint lost part-way through a list's change), until <see cref="Reconnect"/>.
    /// </summary>
    public Func<ModifyCall, bool>? CutAfterModify { get; set; }

    /// <summary>Ends a cut made by <see cref="CutAfterModify"/>: requests reach moto again.</summary>
    public void Reconnect() => Volatile.Write(ref _cut, false);

    private bool _cut;

    /// <summary>True to pass <c>RestoreManagedPrefixListVersion</c> to moto, which lacks it, and answer with what moto answers (an HTML page).</summary>
    public bool RestoresAsMoto { get; set; }

    public static async Task<MotoPrefixListProxy> StartAsync()
    {
        // The test's fixture's own moto when it has one (OwnMotoServerAttribute), read here in the test's flow.
        MotoServer server = MotoServer.Current;
        var moto = new HttpClient { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromMinutes(2) };
        WebApplication app = LoopbackKestrel.Build(null);
        var proxy = new MotoPrefixListProxy(app, server, moto);
        app.Run(proxy.HandleAsync);
        proxy.Endpoint = await LoopbackKestrel.StartAsync(app, null);
        return proxy;
    }

    /// <summary>Changes a list behind fwrules' back, straight in moto, as a hand edit would: returns the new version.</summary>
    public async Task<long> HandEditAsync(string id, string name, string addCidr)
    {
        (long version, _, _) = await DescribeAsync(id);
        await MotoAsync("ModifyManagedPrefixList", ("PrefixListId", id), ("CurrentVersion", Text(version)), ("PrefixListName", name), ("AddEntry.1.Cidr", addCidr));
        return version + 1;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _moto.Dispose();
        _gate.Dispose();
    }

    /// <summary>
    /// Waits until no call is at the proxy: one a run gave up on (its connection closed) still reaches moto when its hold
    /// ends, as AWS carries out a call whose answer nobody waits for.
    /// </summary>
    public async Task IdleAsync()
    {
        while (Volatile.Read(ref _inFlight) > 0)
        {
            await Task.Delay(50);
        }
    }

    private int _inFlight;

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await HandleOneAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task HandleOneAsync(HttpContext context)
    {
        if (Volatile.Read(ref _cut))
        {
            context.Abort();
            return;
        }

        IFormCollection form = await context.Request.ReadFormAsync();
        string action = form["Action"].ToString();
        Dictionary<string, string> pairs = form.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        if (BeforeAnyCall is { } first)
        {
            // "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/ec2/aws4_request, ...": the key names the runner.
            string authorization = context.Request.Headers.Authorization.ToString();
            int start = authorization.IndexOf("Credential=", StringComparison.Ordinal) + "Credential=".Length;
            await first(action, start < "Credential=".Length ? string.Empty : authorization[start..authorization.IndexOf('/', start)], pairs);
        }

        if (action is not ("ModifyManagedPrefixList" or "RestoreManagedPrefixListVersion") || (RestoresAsMoto && action != "ModifyManagedPrefixList"))
        {
            if (BeforeForward is { } before && await before(action, pairs) is string error)
            {
                await ErrorAsync(context, error);
                return;
            }

            await ForwardAsync(context, action, pairs);
            return;
        }

        // The check and the write are one step, as in AWS: no other call gets between them.
        await _gate.WaitAsync();
        try
        {
            (string? error, Dictionary<string, string> forward) = action == "ModifyManagedPrefixList" ? (await ModifyAsync(form), pairs) : await RestoreAsync(form);
            if (error is not null)
            {
                await ErrorAsync(context, error);
                return;
            }

            await ForwardAsync(context, action, forward);
            if (action == "ModifyManagedPrefixList" && CutAfterModify is { } cut && _calls.LastOrDefault() is { } call && cut(call))
            {
                Volatile.Write(ref _cut, true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // Null to let the call through to moto.
    private async Task<string?> ModifyAsync(IFormCollection form)
    {
        string id = form["PrefixListId"].ToString();
        (long version, int max, List<string> entries) = await DescribeAsync(id);
        string[] add = Values(form, "AddEntry");
        string[] remove = Values(form, "RemoveEntry");
        int? resize = form.TryGetValue("MaxEntries", out var m) ? int.Parse(m.ToString(), CultureInfo.InvariantCulture) : null;
        long? carried = form.TryGetValue("CurrentVersion", out var v) ? long.Parse(v.ToString(), CultureInfo.InvariantCulture) : null;
        var call = new ModifyCall(id, form["PrefixListName"].ToString(), carried, version, add, remove, resize, entries);
        _calls.Enqueue(call);
        if (BeforeModify is { } before && await before(call) is string injected)
        {
            return injected;
        }

        (version, max, entries) = await DescribeAsync(id);
        if (carried is long given && given != version)
        {
            return "PrefixListVersionMismatch";
        }

        if (resize is int size)
        {
            if (add.Length + remove.Length > 0 || size < entries.Count)
            {
                return "InvalidParameterCombination";
            }

            if (KeepsResizes)
            {
                _sizes[id] = size;
            }

            return null;
        }

        return add.Length > 100 || remove.Length > 100 ? "InvalidParameterValue"
            : entries.Except(remove).Union(add).Count() > max ? "PrefixListMaxEntriesExceeded"
            : null;
    }

    // Moto has no restore: checks the version, then asks moto for the difference as a modify.
    private async Task<(string? Error, Dictionary<string, string> Forward)> RestoreAsync(IFormCollection form)
    {
        string id = form["PrefixListId"].ToString();
        (long version, _, List<string> now) = await DescribeAsync(id);
        long carried = long.Parse(form["CurrentVersion"].ToString(), CultureInfo.InvariantCulture);
        _calls.Enqueue(new ModifyCall(id, "(restore)", carried, version, [], [], null, now));
        if (carried != version)
        {
            return ("PrefixListVersionMismatch", []);
        }

        List<string> target = [.. Cidrs(await MotoAsync("GetManagedPrefixListEntries", ("PrefixListId", id), ("TargetVersion", form["PreviousVersion"].ToString())))];
        var modify = new Dictionary<string, string>
        {
            ["Action"] = "ModifyManagedPrefixList",
            ["Version"] = form["Version"].ToString(),
            ["PrefixListId"] = id,
            ["CurrentVersion"] = Text(version),
            ["PrefixListName"] = _names.GetValueOrDefault(id, string.Empty),
        };
        string[] add = [.. target.Except(now)];
        string[] remove = [.. now.Except(target)];
        for (int i = 0; i < add.Length; i++)
        {
            modify[$"AddEntry.{i + 1}.Cidr"] = add[i];
        }

        for (int i = 0; i < remove.Length; i++)
        {
            modify[$"RemoveEntry.{i + 1}.Cidr"] = remove[i];
        }

        return (null, modify);
    }

    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    private async Task ForwardAsync(HttpContext context, string action, Dictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        using HttpResponseMessage response = await _moto.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (action == "RestoreManagedPrefixListVersion" && response.IsSuccessStatusCode)
        {
            body = "<RestoreManagedPrefixListVersionResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>proxy</requestId><prefixList>"
                + $"<prefixListId>{form["PrefixListId"]}</prefixListId><state>restore-complete</state></prefixList></RestoreManagedPrefixListVersionResponse>";
        }
        else if (action == "DescribeManagedPrefixLists" && response.IsSuccessStatusCode)
        {
            body = Resized(body);
        }
        else if (action is "AuthorizeSecurityGroupIngress" or "AuthorizeSecurityGroupEgress" or "RevokeSecurityGroupIngress" or "RevokeSecurityGroupEgress"
            && response.IsSuccessStatusCode)
        {
            RememberDescriptions(action, form);
        }
        else if (action == "DescribeSecurityGroupRules" && response.IsSuccessStatusCode)
        {
            body = Described(body);
        }

        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(body);
    }

    // The description of each prefix list reference moto authorized, by the rule's key (its group, direction, list, protocol and ports:
    // AWS holds one rule of a key per group), and the key of each rule id described. (Moto's answer to an authorize names the rules of
    // its last permission only, so the ids are learnt from the reads.)
    private readonly ConcurrentDictionary<string, string> _descriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _ruleKeys = new(StringComparer.Ordinal);

    /// <summary>Remembers the descriptions an authorize call gave its prefix list references; forgets those of the rules a revoke names.</summary>
    private void RememberDescriptions(string action, Dictionary<string, string> form)
    {
        if (action.StartsWith("Revoke", StringComparison.Ordinal))
        {
            foreach (string id in form.Where(p => p.Key.StartsWith("SecurityGroupRuleId.", StringComparison.Ordinal)).Select(p => p.Value))
            {
                _descriptions.TryRemove(_ruleKeys.GetValueOrDefault(id, string.Empty), out _);
            }

            return;
        }

        // IpPermissions.N.PrefixListIds.M.PrefixListId and .Description, each with its permission's protocol and ports.
        bool egress = action.EndsWith("Egress", StringComparison.Ordinal);
        foreach ((string key, string list) in
            form.Where(p => p.Key.EndsWith(".PrefixListId", StringComparison.Ordinal) && p.Key.Contains(".PrefixListIds.", StringComparison.Ordinal)))
        {
            string permission = key[..key.IndexOf(".PrefixListIds.", StringComparison.Ordinal)];
            string rule = RuleKey(form.GetValueOrDefault("GroupId"), egress, list, form.GetValueOrDefault(permission + ".IpProtocol"),
                form.GetValueOrDefault(permission + ".FromPort"), form.GetValueOrDefault(permission + ".ToPort"));
            if (form.TryGetValue(key[..^".PrefixListId".Length] + ".Description", out string? description))
            {
                _descriptions[rule] = description;
            }
            else
            {
                _descriptions.TryRemove(rule, out _);
            }
        }
    }

    // The rules as AWS describes them: a prefix list reference with the description it was authorized with.
    private string Described(string body)
    {
        XElement root = XElement.Parse(body);
        foreach (XElement rule in root.Descendants().Where(e => e.Name.LocalName == "item" && Optional(e, "prefixListId") is not null))
        {
            string key = RuleKey(Optional(rule, "groupId"), Optional(rule, "isEgress") == "true", Optional(rule, "prefixListId")!, Optional(rule, "ipProtocol"),
                Optional(rule, "fromPort"), Optional(rule, "toPort"));
            if (Optional(rule, "securityGroupRuleId") is { } id)
            {
                _ruleKeys[id] = key;
            }

            if (Optional(rule, "description") is null && _descriptions.TryGetValue(key, out string? description))
            {
                rule.Add(new XElement(rule.Name.Namespace + "description", description));
            }
        }

        return root.ToString(SaveOptions.DisableFormatting);
    }

    // A reference's key: its group, direction, list, protocol (as moto names it: tcp, udp, icmp, -1) and ports (none for every protocol).
    private static string RuleKey(string? group, bool egress, string list, string? protocol, string? from, string? to)
    {
        string named = protocol?.ToLowerInvariant() switch { "6" => "tcp", "17" => "udp", "1" => "icmp", "all" => "-1", null => "-1", { } p => p };
        return named == "-1" ? $"{group} {egress} {list} -1" : $"{group} {egress} {list} {named} {from} {to}";
    }

    private static string? Optional(XElement element, string name) => element.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value;

    // The sizes moto ignored, as AWS would report them; the names remembered for the restore's modify.
    private string Resized(string body)
    {
        XElement root = XElement.Parse(body);
        foreach (XElement item in root.Descendants().Where(e => e.Name.LocalName == "item" && e.Elements().Any(c => c.Name.LocalName == "prefixListId")))
        {
            string id = item.Elements().First(c => c.Name.LocalName == "prefixListId").Value;
            if (item.Elements().FirstOrDefault(c => c.Name.LocalName == "prefixListName") is { } name)
            {
                _names[id] = name.Value;
            }

            if (_sizes.TryGetValue(id, out int size) && item.Elements().FirstOrDefault(c => c.Name.LocalName == "maxEntries") is { } max)
            {
                max.Value = Text(size);
            }
        }

        return root.ToString(SaveOptions.DisableFormatting);
    }

    private async Task<(long Version, int MaxEntries, List<string> Entries)> DescribeAsync(string id)
    {
        XElement list = (await MotoAsync("DescribeManagedPrefixLists", ("PrefixListId.1", id)))
            .Descendants().First(e => e.Name.LocalName == "item" && e.Elements().Any(c => c.Name.LocalName == "prefixListId" && c.Value == id));
        long version = long.Parse(Child(list, "version"), CultureInfo.InvariantCulture);
        int max = _sizes.TryGetValue(id, out int size) ? size : int.Parse(Child(list, "maxEntries"), CultureInfo.InvariantCulture);
        _names[id] = Child(list, "prefixListName");
        XElement entries = await MotoAsync("GetManagedPrefixListEntries", ("PrefixListId", id));
        return (version, max, [.. Cidrs(entries)]);
    }

    private async Task<XElement> MotoAsync(string action, params (string Name, string Value)[] parameters)
    {
        using var content = new FormUrlEncodedContent([new("Action", action), new("Version", "2016-11-15"), .. parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))]);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0");
        using HttpResponseMessage response = await _moto.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? XElement.Parse(body) : throw new InvalidOperationException($"moto {action}: {body}");
    }

    private static Task ErrorAsync(HttpContext context, string code)
    {
        context.Response.StatusCode = (int)HttpStatusCode.BadRequest;
        context.Response.ContentType = "text/xml";
        return context.Response.WriteAsync(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code>" +
            $"<Message>{SecurityElement.Escape($"{code} (answered by the test proxy, as AWS would)")}</Message></Error></Errors><RequestID>proxy</RequestID></Response>");
    }

    private static string[] Values(IFormCollection form, string prefix) =>
        [.. form.Where(p => p.Key.StartsWith(prefix + ".", StringComparison.Ordinal) && p.Key.EndsWith(".Cidr", StringComparison.Ordinal)).Select(p => p.Value.ToString())];

    private static IEnumerable<string> Cidrs(XElement response) =>
        response.Descendants().Where(e => e.Name.LocalName == "cidr").Select(e => e.Value);

    private static string Child(XElement element, string name) => element.Elements().First(c => c.Name.LocalName == name).Value;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One modify (or restore) call as the proxy saw it.</summary>
/// <param name="Id">The list.</param>
/// <param name="Name">The name the call carried.</param>
/// <param name="CarriedVersion">The <c>CurrentVersion</c> it carried; null when it carried none.</param>
/// <param name="ListVersion">The list's version when the call arrived.</param>
/// <param name="Add">Entries it adds.</param>
/// <param name="Remove">Entries it removes.</param>
/// <param name="MaxEntries">The size it asks for; null for an entry change.</param>
/// <param name="EntriesBefore">The list's entries when the call arrived.</param>
internal sealed record ModifyCall(string Id, string Name, long? CarriedVersion, long ListVersion, string[] Add, string[] Remove, int? MaxEntries, List<string> EntriesBefore);
