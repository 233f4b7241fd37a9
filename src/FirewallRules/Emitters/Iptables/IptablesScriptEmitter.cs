using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>
/// A POSIX shell script that applies everything in order and can run again at any time: the sets
/// (when <see cref="IptablesEmitterOptions.UseIpset"/>), then the iptables and ip6tables chains, each family
/// in one <c>*-restore --noflush</c> commit, then the jump into each chain, inserted only when missing.
/// </summary>
/// <remarks>
/// <para>The restore input is embedded as quoted here-documents (<c>&lt;&lt;'FWRULES_EOF'</c>), so the shell
/// expands nothing in it; it is the same text as the <c>iptables</c>/<c>ip6tables</c> (or <c>-ipset</c>) and
/// <c>ipset</c> outputs. The script stops at the first failure (<c>set -eu</c>).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class IptablesScriptEmitter : IRuleEmitter
{
    private const string EndOfInput = "FWRULES_EOF";

    private readonly IptablesEmitterOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">Names, hooks, families, ipset mode; the defaults when null.</param>
    public IptablesScriptEmitter(IptablesEmitterOptions? options = null) => _options = options ?? new IptablesEmitterOptions();

    /// <summary><c>iptables-script</c>, or <c>iptables-ipset-script</c> with <see cref="IptablesEmitterOptions.UseIpset"/>.</summary>
    public string Format => IptablesNames.ScriptFormat(_options.UseIpset);

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => _options.UseIpset
        ? "shell script: loads the ipsets, refills the iptables and ip6tables chains that match them and adds the jumps if missing; run as root: sh FILE"
        : "shell script: refills the iptables and ip6tables chains (one rule per prefix) and adds the jumps if missing; run as root: sh FILE";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">A set name would be too long, or a family asked for has no prefix while ports are closed.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        RuleSet prepared = rules.Rules;
        AddressFamilies[] families = IptablesNames.RenderedFamilies(rules);
        if (_options.UseIpset)
        {
            IptablesNames.RequireSetsFit(_options, prepared);
        }

        output.Write("#!/bin/sh\n");
        if (_options.Comments)
        {
            string commands = string.Join(" and ", families.Select(IptablesNames.Command));
            NetfilterText.WriteHeader(output, $"{_options.Name}: Datadog rules for {commands}{(_options.UseIpset ? " with ipsets" : string.Empty)}, as a shell script.", prepared,
            [
                "Run as root: sh FILE   (review it first: it changes the running firewall)",
                _options.UseIpset
                    ? "It swaps the new lists into the sets, refills the chains of each family in one commit, and inserts each jump only when missing:"
                    : "It refills the chains of each family in one commit and inserts each jump only when missing:",
                "safe to run again, e.g. after fetching new ranges. Traffic that matches no rule returns to the calling chain and its policy.",
                .. PortClosing.Summary(prepared),
            ]);
        }

        WriteScript(output, prepared, families);
    }

    // The script's commands, after the header, written as they are produced: what can refuse was checked above.
    private void WriteScript(TextWriter script, RuleSet prepared, AddressFamilies[] families)
    {
        script.Write("set -eu\n");
        if (_options.UseIpset)
        {
            WriteInput(script, "ipset restore", output => new IpsetRestoreSets(_options).Write(prepared, output));
        }

        foreach (AddressFamilies family in families)
        {
            WriteInput(
                script, $"{IptablesNames.Command(family)}-restore -w --noflush",
                output => new IptablesRestoreTable(_options, family).Write(prepared.ForFamilies(family), output));
        }

        foreach (AddressFamilies family in families)
        {
            foreach (Direction direction in prepared.ForFamilies(family).Directions)
            {
                script.Write(IptablesNames.JumpCommand(_options, direction, family));
                script.Write('\n');
            }
        }
    }

    private static void WriteInput(TextWriter script, string command, Action<TextWriter> writeInput)
    {
        // The quoted delimiter turns off every expansion; no generated line can equal it.
        script.Write($"{command} <<'{EndOfInput}'\n");
        writeInput(script);
        script.Write($"{EndOfInput}\n");
    }
}
