using FirewallRules.Advice;
using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// An agent's plan rendered for a format (<see cref="AgentRendering"/>): the rules, the format's options with what the plan sets on
/// them, and every warning, each with its kind. Nothing the rules leave out goes unsaid: each is a warning of kind
/// <see cref="AgentWarningKind.LeftOut"/>.
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed class AgentRendered
{
    private readonly EmitterRegistry _registry;

    internal AgentRendered(AgentPlan plan, string format, EmitterRegistry registry, RuleSet rules, EmitterOptions options, IReadOnlyList<AgentWarning> warnings)
    {
        Plan = plan;
        Format = format;
        _registry = registry;
        Rules = rules;
        Options = options;
        Warnings = warnings;
    }

    /// <summary>The plan as rendered: the configuration's, with the sections and listeners the request chose instead.</summary>
    public AgentPlan Plan { get; }

    /// <summary>The format rendered for.</summary>
    public string Format { get; }

    /// <summary>The rules (and, for a format that allows host names, the hosts) to render.</summary>
    public RuleSet Rules { get; }

    /// <summary>The format's options: the request's, with what the plan sets on them (a Kubernetes format's in-cluster destinations, the kubelet's port).</summary>
    public EmitterOptions Options { get; }

    /// <summary>What the caller should know, in order: what the rules leave out, choices that contradict the configuration, the plan's notes that concern the rules.</summary>
    public IReadOnlyList<AgentWarning> Warnings { get; }

    /// <summary>How many of the plan's notes no warning repeats: what <c>fwrules plan</c> prints beside the rules.</summary>
    internal int OtherNotes { get; init; }

    /// <summary>The rules as the format's text.</summary>
    /// <exception cref="RuleGenerationException">The format refuses the rules (a platform limit, an empty section).</exception>
    public string Render() => Rules.Render(_registry.Create(Format, Options));
}

/// <summary>
/// One warning of an <see cref="AgentRendered"/>: its kind, which a program acts on, and its text, which a reader is shown; where it
/// names a setting of the request or the format, a tool names it its own way (<see cref="Format"/>).
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed class AgentWarning
{
    private readonly SettingAdvice _text;

    internal AgentWarning(AgentWarningKind kind, string text)
        : this(kind, new SettingAdvice(text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)))
    {
    }

    internal AgentWarning(AgentWarningKind kind, SettingAdvice text)
    {
        Kind = kind;
        _text = text;
    }

    /// <summary>What it tells: a program decides by it, never by <see cref="Text"/>.</summary>
    public AgentWarningKind Kind { get; }

    /// <summary>The warning, settings named as the library spells them (<c>AgentRenderRequest.Sections</c>).</summary>
    public string Text => _text.ToString();

    /// <summary>The warning with each setting it names named by <paramref name="nameSetting"/> (a command line's flag for it).</summary>
    public string Format(Func<string, string> nameSetting) => _text.Format(nameSetting);

    /// <summary>The warning's text.</summary>
    public override string ToString() => Text;
}

/// <summary>What an <see cref="AgentWarning"/> tells. Kinds may be added in any release: treat one you do not know as <see cref="Plan"/>.</summary>
public enum AgentWarningKind
{
    /// <summary>A note of the plan that concerns the rules: the proxy they allow, the cluster's destinations, a destination the agent will not reach as planned.</summary>
    Plan,

    /// <summary>A choice of the request (sections, listeners, networks, a port given) that contradicts the configuration or names nothing in it.</summary>
    Choice,

    /// <summary>The rules leave a destination or a listener out: it is not allowed, and the text says how to allow it.</summary>
    LeftOut,

    /// <summary>A document was offered and not read: the format renders no prefix of Datadog's ranges for this plan.</summary>
    DocumentNotRead,
}
