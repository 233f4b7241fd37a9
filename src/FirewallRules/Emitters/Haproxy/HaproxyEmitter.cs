using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Haproxy;

/// <summary>
/// <c>haproxy</c>: an ACL file, one prefix a line, for <c>acl NAME src -f FILE</c> (HAProxy has no include: its header gives the
/// frontend's lines to paste, which deny every other client). With <see cref="WebServerOptions.TrustedProxies"/>, those lines
/// take the client's address from the trusted proxies only: from <c>X-Forwarded-For</c>, read from the right past each
/// trusted proxy (<c>http-request set-src hdr_ip(X-Forwarded-For,-N)</c> while the address is still a trusted proxy's), or
/// from the PROXY protocol (<see cref="HaproxyOptions.ProxyProtocol"/>).
/// </summary>
internal sealed class HaproxyEmitter(HaproxyOptions options) : IRuleEmitter
{
    /// <summary>How many trusted proxies in a row the frontend's lines read past (one <c>set-src</c> line each).</summary>
    internal const int MaxHops = 8;

    public string Format => HaproxyFormats.Haproxy;

    public string Description =>
        "An HAProxy ACL file (acl NAME src -f FILE), its header the frontend lines that deny every other client (X-Forwarded-For or PROXY protocol from trusted proxies).";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        PrefixSet allowed = AllowedClients.Of(rules.Rules, options, Format);
        WebServerText.Header(output, options, rules.Rules, [
            $"An ACL file: save it as /etc/haproxy/{options.Name}.acl and put these lines in the frontend of the endpoint (HAProxy 2.0 or later),",
            "before its other http-request rules:",
            .. Frontend(options).Select(line => "  " + line),
            "The frontend then admits these addresses and refuses (403) every other; Datadog calls on the rules' ports, where it binds.",
            options.ProxyProtocol && !options.TrustedProxies.IsEmpty
                ? "Client address: the connection's own, unless it comes from a trusted proxy, which must send the PROXY protocol header: then the " +
                    "address it gives. No X-Forwarded-For is read; a PROXY header from anyone else is not read either (the request fails)."
                : AllowedClients.ClientAddress(options) + (options.TrustedProxies.IsEmpty ? string.Empty
                    : $" Up to {MaxHops} trusted proxies in a row are read past."),
        ]);
        allowed.WriteLines(output, string.Empty, "\n");
    }

    /// <summary>The frontend's lines the header gives, the ACL file at its place in /etc/haproxy.</summary>
    internal static IEnumerable<string> Frontend(HaproxyOptions options)
    {
        string n = options.Name.Replace('-', '_');
        yield return $"acl {n} src -f /etc/haproxy/{options.Name}.acl";
        if (!options.TrustedProxies.IsEmpty)
        {
            yield return $"acl {n}_proxy src {string.Join(' ', options.TrustedProxies)}";
            if (options.ProxyProtocol)
            {
                yield return $"tcp-request connection expect-proxy layer4 if {n}_proxy";
            }
            else
            {
                // An entry that is no address (unknown, a port, garbage) leaves src a proxy's when set-src fails, so the next hop would
                // read what the client wrote: such an entry is refused where it is reached.
                for (int hop = 1; hop <= MaxHops; hop++)
                {
                    yield return $"http-request deny deny_status 403 if {n}_proxy !{{ req.hdr_ip(X-Forwarded-For,-{hop}) -m found }}";
                    yield return $"http-request set-src hdr_ip(X-Forwarded-For,-{hop}) if {n}_proxy";
                }
            }
        }

        yield return $"http-request deny deny_status 403 unless {n}";
    }
}
