namespace FirewallRules.Emitters;

/// <summary>The emitters this library ships, in one list so the registry and the docs agree.</summary>
internal static class BuiltIn
{
    public static EmitterRegistry Register(EmitterRegistry registry)
    {
        var windows = new WindowsFirewallEmitter();
        var netsh = new NetshEmitter();
        return registry
            .With(windows.Format, windows.Description, options => new WindowsFirewallEmitter(WindowsFirewallOptions.From(options)))
            .With(netsh.Format, netsh.Description, options => new NetshEmitter(NetshOptions.From(options)));
    }
}
