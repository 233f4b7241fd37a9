namespace FirewallRules.Emitters;

/// <summary>The emitters this library ships, in one list so the registry and the docs agree.</summary>
internal static class BuiltIn
{
    public static EmitterRegistry Register(EmitterRegistry registry) => registry;
}
