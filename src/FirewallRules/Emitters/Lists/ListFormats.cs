namespace FirewallRules.Emitters.Lists;

/// <summary>The prefix list and network definition formats as the registry describes them: plain text, no settings of their own.</summary>
internal static class ListFormats
{
    /// <summary>The plain prefix list's format: one prefix a line, as the mirror's <c>/lists/</c> serve it.</summary>
    public const string List = "list";

    /// <summary>Adds <c>list</c>, <c>aerleon</c> and <c>capirca</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new PrefixListEmitter(o))
        .WithBuiltIn(o => new AerleonEmitter(o))
        .WithBuiltIn(o => new CapircaEmitter(o));
}
