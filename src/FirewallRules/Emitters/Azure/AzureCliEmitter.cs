using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// Format <c>azure-nsg</c>: a bash script of <c>az network nsg rule create</c> calls that creates or updates the
/// Datadog rules in an existing network security group, then deletes rules with the same name prefix that an
/// earlier run left and this one no longer defines.
/// </summary>
/// <remarks>
/// <para>The resource group and NSG names come from <see cref="AzureNsgOptions.ResourceGroup"/> and
/// <see cref="AzureNsgOptions.NetworkSecurityGroup"/> (validated, and quoted for the shell) or, when those are not
/// set, from the variables <c>{NAME}_RESOURCE_GROUP</c> and <c>{NAME}_NSG</c> at run time, always passed quoted.</para>
/// <para><c>az network nsg rule create</c> replaces a rule of the same name, so running the script again updates the
/// rules. A rule whose priority another rule already holds is refused by Azure and the script stops; deploy the
/// <c>azure-arm</c> or <c>bicep</c> output to replace the whole rule list at once.</para>
/// </remarks>
public sealed class AzureCliEmitter : IRuleEmitter
{
    private readonly AzureNsgOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="AzureNsgOptions"/> defaults when null.</param>
    public AzureCliEmitter(AzureNsgOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "azure-nsg";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "bash script: az network nsg rule create in an existing NSG (DATADOG_RESOURCE_GROUP, DATADOG_NSG)";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules would not fit an NSG's priorities, rules or addresses.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        NsgPlan plan = NsgPlan.Create(rules, _options);
        string prefix = _options.Name.Replace('-', '_').ToUpperInvariant();
        output.Write("#!/usr/bin/env bash\n");
        if (_options.Comments)
        {
            var header = new List<string> { "Datadog IP ranges as Azure network security group rules, for the Azure CLI (fwrules format azure-nsg)." };
            header.AddRange(plan.Rules.Describe());
            header.Add(string.Empty);
            header.Add("Creates or updates the rules below in an existing NSG, then deletes rules named");
            header.Add($"{_options.Name}-* that this script does not define (left by an earlier run).");
            header.AddRange(plan.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        output.Write("set -euo pipefail\n\n");
        output.Write("resource_group=" + (_options.ResourceGroup is string group
            ? ShellQuote.Argument(group)
            : $"${{{prefix}_RESOURCE_GROUP:?set {prefix}_RESOURCE_GROUP to the resource group of the network security group}}") + "\n");
        output.Write("nsg=" + (_options.NetworkSecurityGroup is string nsg
            ? ShellQuote.Argument(nsg)
            : $"${{{prefix}_NSG:?set {prefix}_NSG to the name of the network security group, which must exist}}") + "\n");
        output.Write("target=(--resource-group \"$resource_group\" --nsg-name \"$nsg\")\n\n");

        string wanted = " " + string.Join(" ", plan.SecurityRules.Select(r => r.Name)) + " ";
        string query = $"[?starts_with(name, '{_options.Name}-')].name";
        if (_options.Comments)
        {
            CommentText.Write(output, "#", [$"Delete {_options.Name}-* rules this script does not define, first, so that their priorities are free."]);
        }

        output.Write($$"""
            wanted={{ShellQuote.Argument(wanted)}}
            az network nsg rule list "${target[@]}" --query {{ShellQuote.DoubleQuoted(query)}} --output tsv |
              while IFS= read -r rule; do
                case $wanted in
                  *" $rule "*) ;;
                  *) az network nsg rule delete "${target[@]}" --name "$rule" --output none ;;
                esac
              done

            """);
        foreach (NsgRule rule in plan.SecurityRules)
        {
            output.Write('\n');
            if (_options.Comments)
            {
                CommentText.Write(output, "#", [rule.Description]);
            }

            WriteRule(output, rule);
        }
    }

    private void WriteRule(TextWriter output, NsgRule rule)
    {
        var lines = new List<string>
        {
            $"az network nsg rule create \"${{target[@]}}\" --name {ShellQuote.Argument(rule.Name)}",
            $"--priority {rule.Priority} --direction {rule.DirectionName} --access {rule.Access} --protocol {ShellQuote.Argument(rule.Protocol)}",
        };
        foreach (NsgProperty property in rule.Properties(_options.Comments))
        {
            string? option = property.Key switch
            {
                "description" => "--description",
                "sourcePortRange" => "--source-port-ranges",
                "destinationPortRange" => "--destination-port-ranges",
                "sourceAddressPrefix" or "sourceAddressPrefixes" => "--source-address-prefixes",
                "destinationAddressPrefix" or "destinationAddressPrefixes" => "--destination-address-prefixes",
                _ => null, // protocol, access, priority and direction are on the second line
            };
            if (option is null)
            {
                continue;
            }

            if (property.List is IReadOnlyList<string> list)
            {
                lines.Add(option);
                lines.AddRange(list.Select(item => "  " + ShellQuote.Argument(item)));
            }
            else
            {
                lines.Add($"{option} {ShellQuote.Argument(property.Text!)}");
            }
        }

        lines.Add("--output none");
        output.Write(lines[0]);
        foreach (string line in lines.Skip(1))
        {
            output.Write(" \\\n  ");
            output.Write(line);
        }

        output.Write('\n');
    }
}
