using System.Globalization;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Windows;

/// <summary>
/// Format <c>windows</c>: Windows Firewall rules as an idempotent PowerShell script for the NetSecurity module
/// (<c>New-NetFirewallRule</c>). Run it elevated; <c>-WhatIf</c> shows what it would change.
/// </summary>
/// <remarks>
/// <para>The script owns one rule group, <c>&lt;name&gt; (FirewallRules)</c>, made from the validated
/// <see cref="EmitterOptions.Name"/> only, so it holds no wildcard a group filter would expand. Each run creates
/// the new rules beside the ones in force under names ending in <c>-staged</c>, removes every other rule of the
/// group, then gives the new rules their final names: allowed traffic never lapses, and the next run cleans up
/// after an interrupted one.</para>
/// <para>Each Windows rule holds one address family and at most <see cref="WindowsFirewallOptions.MaxAddressesPerRule"/>
/// prefixes, as a constant <c>-RemoteAddress @('...')</c> array; longer lists are split across rules numbered
/// <c>-01</c>, <c>-02</c>, ... An empty list is never written, since Windows reads it as any address.</para>
/// <para>Windows applies block rules before allow rules whatever their order, and allows outbound traffic by
/// default, so egress allow rules restrict nothing until the profile's <c>DefaultOutboundAction</c> is
/// <c>Block</c>. That setting blocks every other outbound connection of the host too, so the script leaves it
/// alone and warns when it is not <c>Block</c>.</para>
/// <para>Inbound traffic is blocked by default, so an ingress allow rule that closes its port
/// (<see cref="FirewallRule.ClosesPort"/>) needs nothing more: other addresses stay blocked while the profile's
/// <c>DefaultInboundAction</c> is <c>Block</c>, which the script checks. It adds no block rule for the port: block
/// rules win over allow rules, so one would block the allowed addresses too.</para>
/// <para>Text from the data reaches the script only as single-quoted literals (every <c>'</c> and typographic
/// single quote escaped) and <c>#</c> comments, in printable ASCII so that Windows PowerShell 5.1, which reads
/// a file without a byte order mark in the ANSI code page, sees the same characters. Immutable and thread-safe.</para>
/// </remarks>
public sealed class WindowsFirewallEmitter : IRuleEmitter
{
    private const string StagedSuffix = "-staged";
    private readonly WindowsFirewallOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">Names, families, prefix budget and split size; the defaults when null.</param>
    public WindowsFirewallEmitter(WindowsFirewallOptions? options = null) => _options = options ?? new WindowsFirewallOptions();

    /// <inheritdoc/>
    public string Format => "windows";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description =>
        "Windows Firewall PowerShell script (New-NetFirewallRule): run it elevated, add -WhatIf to preview; replaces its rule group without a gap";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">Nothing is left to allow in the chosen families, or two rules share a name.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        RuleSet prepared = rules.Rules;
        WindowsRulePart[] parts = WindowsRuleSplitter.UniquelyNamed(prepared).SelectMany(rule => WindowsRuleSplitter.Split(rule, _options.MaxAddressesPerRule)).ToArray();
        string group = PowerShellText.Literal(_options.OwnedName);
        bool restrictsEgress = prepared.Rules.Any(rule => rule.Direction == Direction.Egress && rule.Action == RuleAction.Allow);
        string closedInbound = string.Join(", ", PortClosing.In(prepared, Direction.Ingress));

        if (_options.Comments)
        {
            WriteHeader(output, prepared, group, restrictsEgress, closedInbound);
        }

        WritePreamble(output, group);
        Comment(output, "1. Create the new rules beside those in force.");
        foreach (WindowsRulePart part in parts)
        {
            WriteNewRule(output, part, group, prepared.Provenance);
        }

        output.WriteLine();
        Comment(output, "2. Remove the rules they replace.");
        output.WriteLine("if ($inForce.Count -gt 0) { Remove-NetFirewallRule -InputObject $inForce @common }");
        output.WriteLine();
        Comment(output, "3. Give the new rules their final names (under -WhatIf nothing was created to rename).");
        output.WriteLine("if (-not $WhatIfPreference) {");
        foreach (WindowsRulePart part in parts)
        {
            string name = part.Name(_options.Name);
            output.WriteLine($"    Rename-NetFirewallRule -Name {PowerShellText.Literal(name + StagedSuffix)} -NewName {PowerShellText.Literal(name)} @common");
        }

        output.WriteLine("}");
        WriteWarnings(output, restrictsEgress, closedInbound);
    }

    // What the script does once in any case: stop on errors, pass the preferences on, find the group's rules.
    private void WritePreamble(TextWriter output, string group)
    {
        output.WriteLine("#Requires -RunAsAdministrator");
        output.WriteLine("[CmdletBinding(SupportsShouldProcess)]");
        output.WriteLine("param()");
        output.WriteLine();
        output.WriteLine("$ErrorActionPreference = 'Stop'");
        Comment(output, "Module cmdlets do not see this script's preference variables (a known PowerShell limitation): pass them explicitly.");
        output.WriteLine("$common = @{ ErrorAction = 'Stop'; WhatIf = $WhatIfPreference }");
        output.WriteLine();
        Comment(output, "The group's local rules now: those in force, and any that an interrupted run left staged.");
        output.WriteLine($"$existing = @(Get-NetFirewallRule -Group {group} -PolicyStore PersistentStore -ErrorAction SilentlyContinue)");
        output.WriteLine($"$inForce = @($existing | Where-Object Name -NotLike '*{StagedSuffix}')");
        output.WriteLine($"$staged = @($existing | Where-Object Name -Like '*{StagedSuffix}')");
        output.WriteLine("if ($staged.Count -gt 0) { Remove-NetFirewallRule -InputObject $staged @common }");
        output.WriteLine();
    }

    // Warnings at run time where the profile's default policy makes the rules restrict less than they say.
    private void WriteWarnings(TextWriter output, bool restrictsEgress, string closedInbound)
    {
        if (restrictsEgress)
        {
            output.WriteLine();
            Comment(output, "Outbound allow rules only restrict traffic where the policy in force blocks outbound traffic by default.");
            output.WriteLine("$open = @(Get-NetFirewallProfile -PolicyStore ActiveStore | Where-Object DefaultOutboundAction -NE 'Block')");
            output.WriteLine("if ($open.Count -gt 0) { Write-Warning ('Profiles ' + ($open.Name -join ', ') + ' allow outbound traffic by default: "
                + "the allow rules restrict nothing there until DefaultOutboundAction is Block, which blocks every other outbound connection too.') }");
        }

        if (closedInbound.Length > 0)
        {
            output.WriteLine();
            Comment(output, "Closed ports stay closed to other addresses only where the policy in force blocks inbound traffic by default.");
            output.WriteLine("$openInbound = @(Get-NetFirewallProfile -PolicyStore ActiveStore | Where-Object DefaultInboundAction -NE 'Block')");
            output.WriteLine("if ($openInbound.Count -gt 0) { Write-Warning ('Profiles ' + ($openInbound.Name -join ', ') + ' allow inbound traffic by default: "
                + $"the closed ports ({closedInbound}) are open to every address there until DefaultInboundAction is Block.') }}");
        }
    }

    private void WriteHeader(TextWriter output, RuleSet prepared, string group, bool restrictsEgress, string closedInbound)
    {
        output.WriteLine(ScriptText.Comment("Windows Firewall rules for Datadog's IP ranges: a PowerShell script (NetSecurity module)."));
        foreach (string line in prepared.Describe())
        {
            output.WriteLine(ScriptText.Comment(line));
        }

        output.WriteLine("#");
        output.WriteLine("# Save it as a .ps1 file and run it in an elevated PowerShell; add -WhatIf to see what it would change.");
        output.WriteLine(ScriptText.Comment($"It owns the rule group {group} and replaces all of its rules on every run: the new rules"));
        output.WriteLine("# are created beside those in force, then the old ones are removed, so allowed traffic never lapses.");
        output.WriteLine(ScriptText.Comment(string.Create(CultureInfo.InvariantCulture,
            $"Each rule holds one address family and at most {_options.MaxAddressesPerRule} prefixes; longer lists are split across rules.")));
        output.WriteLine("# Windows applies block rules before allow rules, whatever their order.");
        if (restrictsEgress)
        {
            output.WriteLine("# It also allows outbound traffic by default: the egress allow rules restrict nothing until the");
            output.WriteLine("# profile's DefaultOutboundAction is Block (Set-NetFirewallProfile -DefaultOutboundAction Block),");
            output.WriteLine("# which blocks every other outbound connection too. This script leaves it alone and warns if it is not Block.");
        }

        if (closedInbound.Length > 0)
        {
            output.WriteLine(ScriptText.Comment($"Closed ports ({closedInbound} inbound): Windows blocks inbound traffic by default, so only the"));
            output.WriteLine("# addresses allowed here reach them while the profile's DefaultInboundAction is Block; the script warns if it");
            output.WriteLine("# is not. It adds no block rule, which would win over the allow rules and block their addresses too.");
        }

        output.WriteLine();
    }

    private void WriteNewRule(TextWriter output, WindowsRulePart part, string group, RuleSetProvenance provenance)
    {
        FirewallRule rule = part.Rule;
        string displayName = string.Create(CultureInfo.InvariantCulture, $"{_options.Name}: {rule.Description} ({part.FamilyLabel} {part.Number}/{part.Count})");

        output.Write("New-NetFirewallRule");
        output.Write($" -Name {PowerShellText.Literal(part.Name(_options.Name) + StagedSuffix)}");
        output.Write($" -DisplayName {PowerShellText.Literal(displayName)}");
        output.Write($" -Group {group}");
        output.Write(rule.Direction == Direction.Egress ? " -Direction Outbound" : " -Direction Inbound");
        output.Write(rule.Action == RuleAction.Allow ? " -Action Allow" : " -Action Block");
        output.Write(rule.Port.Protocol == TransportProtocol.Tcp ? " -Protocol TCP" : " -Protocol UDP");
        // The port is the destination: the remote service for egress, the local listener for ingress.
        output.Write(rule.Direction == Direction.Egress ? " -RemotePort " : " -LocalPort ");
        output.Write(PowerShellText.Literal(rule.Port.Text()));
        if (_options.Comments)
        {
            output.Write($" -Description {PowerShellText.Literal(WindowsRulePart.Describe(rule, provenance))}");
        }

        // One single-quoted address a line, written from the numbers (an address has nothing to escape).
        output.WriteLine(" @common -RemoteAddress @(");
        part.WriteAddresses(output, "    '", "'," + output.NewLine);
        output.WriteLine("'");
        output.WriteLine(")");
    }

    private void Comment(TextWriter output, string text)
    {
        if (_options.Comments)
        {
            output.WriteLine(ScriptText.Comment(text));
        }
    }}
