using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// Renders prepared rules for one platform. Implement it to add a target of your own, register it with
/// <see cref="EmitterRegistry.With"/>, and render through <see cref="RuleSetRendering.Render(RuleSet, IRuleEmitter)"/>:
/// the render step prepares the rules (<see cref="PreparedRules"/>) and calls <see cref="Write"/> once.
/// </summary>
/// <remarks>
/// An emitter reads only the rule model: it never fetches, and it never calls another emitter (shared text lives in
/// small writer types). It must refuse (throw <see cref="RuleGenerationException"/>) rather than render an
/// allow-list of nothing, must split rather than truncate when a platform limit is reached, and must check every
/// limit before it writes its first character, so that a refusal leaves no partial output.
/// </remarks>
public interface IRuleEmitter
{
    /// <summary>The format name used on the command line, e.g. <c>nftables</c>.</summary>
    string Format { get; }

    /// <summary>One line saying what the output is and how to apply it.</summary>
    string Description { get; }

    /// <summary>The address families this format can hold; a single-family format such as ip6tables narrows it.</summary>
    /// <value><see cref="AddressFamilies.Both"/> unless the emitter says otherwise.</value>
    AddressFamilies Families => AddressFamilies.Both;

    /// <summary>
    /// The media type of the output, without a charset: what <c>fwrules serve</c> sends it as and how tools should store
    /// it. Read from the emitter when a registry describes its format, for formats added with
    /// <see cref="EmitterRegistry.With"/> as for the built-in ones.
    /// </summary>
    /// <value><c>text/plain</c> unless the emitter says otherwise (e.g. <c>application/json</c>).</value>
    string MediaType => "text/plain";

    /// <summary>
    /// What to tell whoever deploys an output of <paramref name="bytes"/> UTF-8 bytes (e.g. that a template this large
    /// must be uploaded rather than passed inline), printed by <c>fwrules generate</c> after writing it; null when nothing.
    /// </summary>
    /// <param name="bytes">The size of the rendered output in UTF-8 bytes.</param>
    /// <returns>The note, or null (the default).</returns>
    string? DeployNote(long bytes) => null;

    /// <summary>
    /// The emitter's options: the render step reads <see cref="EmitterOptions.Families"/> and
    /// <see cref="EmitterOptions.MaxPrefixesPerRule"/> from them to prepare the rules.
    /// </summary>
    EmitterOptions Options { get; }

    /// <summary>Writes the prepared rules.</summary>
    /// <param name="rules">The rules, already narrowed to the families rendered and within the prefix budget.</param>
    /// <param name="output">Where the text goes; written only once nothing can be refused any more.</param>
    /// <exception cref="RuleGenerationException">The rules cannot be rendered safely for this platform.</exception>
    void Write(PreparedRules rules, TextWriter output);
}
