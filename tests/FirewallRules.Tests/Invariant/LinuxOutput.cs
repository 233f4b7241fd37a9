using System.Net.Sockets;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// One Linux output as <c>fwrules generate</c> writes it and as its header says to load it: the nftables tables of their own as they
/// are (complete policies), and the outputs that return unmatched traffic after the user's policy (<see cref="UserPolicy"/>): the
/// nftables chains in the user's table, the iptables and ip6tables files with the jumps their headers print, the ipset file with
/// the files matching it, and the two scripts.
/// </summary>
/// <param name="Name">
/// The output, as the test cases name it: a format, or <c>iptables</c> for iptables plus ip6tables, <c>ipset</c> for ipset plus
/// iptables-ipset and ip6tables-ipset.
/// </param>
/// <param name="Layout">How it decides what it does not match.</param>
internal sealed record LinuxOutput(string Name, OutputLayout Layout)
{
    /// <summary>Every Linux output.</summary>
    public static IReadOnlyList<LinuxOutput> All { get; } =
    [
        new("nftables", OutputLayout.OwnTable), new("nftables-strict", OutputLayout.StrictTable), new("nftables-chain", OutputLayout.JumpedTo),
        new("iptables", OutputLayout.JumpedTo), new("ipset", OutputLayout.JumpedTo), new("iptables-script", OutputLayout.JumpedTo),
        new("iptables-ipset-script", OutputLayout.JumpedTo),
    ];

    /// <summary>Generates the plan's output and loads it into the lab's host, after the user's policy where the output needs one.</summary>
    /// <returns>The generate commands run, for messages.</returns>
    public async Task<IReadOnlyList<string>> LoadAsync(AdmissionLab lab, AdmissionPlan plan)
    {
        var commands = new List<string>();
        switch (Name)
        {
            case "nftables" or "nftables-strict":
                lab.Host.ExecOnFile(await GenerateAsync(Name, plan, commands), "nft", "-f").Succeeded();
                break;
            case "nftables-chain":
                // The user's table and the output in one transaction, as one nft -f.
                lab.Host.ExecWithInput($"{NftablesPolicy(plan.Policy)}\n{await GenerateAsync(Name, plan, commands)}", "nft", "-f", "-").Succeeded();
                break;
            case "iptables" or "ipset":
                lab.Host.ExecWithInput(IptablesPolicy(plan.Policy), "sh", "-e").Succeeded();
                if (Name == "ipset")
                {
                    lab.Host.ExecOnFile(await GenerateAsync("ipset", plan, commands), "ipset", "restore", "-f").Succeeded();
                }

                await LoadRestoreFilesAsync(lab, plan, commands);
                break;
            default:
                lab.Host.ExecWithInput(IptablesPolicy(plan.Policy), "sh", "-e").Succeeded();
                lab.Host.ExecOnFile(await GenerateAsync(Name, plan, commands), "sh").Succeeded();
                break;
        }

        return commands;
    }

    // One restore file per family, then the jumps its header prints. A family the plan has no prefix of may be refused (nothing to
    // render) and is then the policy's, as a family without rules is anyway.
    private async Task LoadRestoreFilesAsync(AdmissionLab lab, AdmissionPlan plan, List<string> commands)
    {
        foreach ((AddressFamily family, string command) in new[] { (AddressFamily.InterNetwork, "iptables"), (AddressFamily.InterNetworkV6, "ip6tables") })
        {
            if (!plan.Families.Contains(family))
            {
                continue;
            }

            string format = Name == "ipset" ? $"{command}-ipset" : command;
            string[] arguments = ["generate", "-f", format, .. plan.Arguments, .. plan.FamilyArguments];
            ProcessResult generated = await FwrulesInProcess.RunAsync(null, arguments);
            commands.Add($"fwrules {string.Join(' ', arguments)}");
            if (generated.ExitCode != 0 && !plan.Has(family))
            {
                continue;
            }

            Assert.That(generated.ExitCode, Is.Zero, $"fwrules generate -f {format} refused the plan {plan.Title}:\n{generated.Error}");
            lab.Host.ExecOnFile(generated.Output, $"{command}-restore", "-w", "--noflush").Succeeded();
            string[] jumps = [.. generated.Output.Split('\n').Where(line => line.StartsWith($"#   {command} -w -C ", StringComparison.Ordinal)).Select(line => line[4..])];
            Assert.That(jumps, Is.Not.Empty, $"the {format} header prints no jump:\n{generated.Output}");
            lab.Host.ExecWithInput(string.Join("\n", jumps) + "\n", "sh").Succeeded();
        }
    }

    private static async Task<string> GenerateAsync(string format, AdmissionPlan plan, List<string> commands)
    {
        string[] arguments = ["generate", "-f", format, .. plan.Arguments, .. plan.FamilyArguments];
        commands.Add($"fwrules {string.Join(' ', arguments)}");
        ProcessResult generated = await FwrulesInProcess.RunAsync(null, arguments);
        Assert.That(generated.ExitCode, Is.Zero, $"fwrules generate -f {format} refused the plan {plan.Title}:\n{generated.Error}");
        return generated.Output;
    }

    // The user's table as the nftables-chain header asks for it: the chains declared, a base chain per hook jumping to them.
    private static string NftablesPolicy(UserPolicy policy) => $$"""
        table inet filter {
            chain datadog-egress { }
            chain datadog-ingress { }
            chain output { type filter hook output priority filter; policy {{(policy.DropsEgress ? "drop" : "accept")}}; jump datadog-egress; oif "lo" meta mark set 1 accept; }
            chain input { type filter hook input priority filter; policy {{(policy.DropsIngress ? "drop" : "accept")}}; jump datadog-ingress; }
        }
        """;

    // The same for iptables and ip6tables: the policies, and loopback accepted (marked) after the jump the output's header inserts first.
    private static string IptablesPolicy(UserPolicy policy) => string.Concat(new[] { "iptables", "ip6tables" }.Select(command => $"""
        {command}-restore -w <<'FWRULES_EOF'
        *filter
        :INPUT {(policy.DropsIngress ? "DROP" : "ACCEPT")} [0:0]
        :OUTPUT {(policy.DropsEgress ? "DROP" : "ACCEPT")} [0:0]
        -A OUTPUT -o lo -j MARK --set-mark 1
        -A OUTPUT -o lo -j ACCEPT
        COMMIT
        FWRULES_EOF

        """));
}
