namespace FirewallRules.Emitters.Azure;

/// <summary>The Azure resource the ARM and Bicep templates declare, named in one place so both declare the same.</summary>
internal static class NsgResource
{
    /// <summary>The resource type.</summary>
    public const string Type = "Microsoft.Network/networkSecurityGroups";

    /// <summary>The Microsoft.Network API version of the resource.</summary>
    public const string ApiVersion = "2024-05-01";
}
