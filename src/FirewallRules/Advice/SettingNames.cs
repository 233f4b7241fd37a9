namespace FirewallRules.Advice;

/// <summary>How the library names its settings in <see cref="SettingAdvice"/>: <c>Type.Property</c>, or <c>Type.Property = Value</c>.</summary>
internal static class SettingNames
{
    /// <summary><c>AwsSecurityGroupOptions.RulesPerGroup</c> for <c>Of&lt;AwsSecurityGroupOptions&gt;(nameof(AwsSecurityGroupOptions.RulesPerGroup))</c>.</summary>
    public static string Of<TOptions>(string property) => $"{typeof(TOptions).Name}.{property}";

    /// <summary><c>RuleSet.WithPrefixBudget(maxPrefixesPerFamily)</c>: a method's parameter.</summary>
    public static string Parameter<T>(string method, string parameter) => $"{typeof(T).Name}.{method}({parameter})";

    /// <summary>A switch with the value that resolves a refusal, e.g. <c>KubernetesPolicyOptions.ByName = false</c>.</summary>
    public static string Of<TOptions>(string property, bool value) => $"{Of<TOptions>(property)} = {(value ? "true" : "false")}";

    /// <summary>A text setting with the value that resolves a refusal, e.g. <c>SyncSettings.Format = "nftables"</c>.</summary>
    public static string Of<TOptions>(string property, string value) => $"{Of<TOptions>(property)} = \"{value}\"";

    /// <summary>One key of a setting that maps keys to values, e.g. <c>AgentRenderRequest.Networks[proxy]</c>: the networks of the proxy.</summary>
    public static string Key<TOptions>(string property, string key) => $"{Of<TOptions>(property)}[{key}]";

    /// <summary>A setting with the value that resolves a refusal, e.g. <c>PrivateLinkOptions.PreferredSource = DocumentationSource.EndpointTable</c>.</summary>
    public static string Of<TOptions, TValue>(string property, TValue value)
        where TValue : struct, Enum => $"{Of<TOptions>(property)} = {typeof(TValue).Name}.{value}";
}
