using FirewallRules.Advice;

namespace FirewallRules.Fetching;

/// <summary>The server redirected where <see cref="TransportPolicy"/> does not go; asking again would be redirected again.</summary>
/// <param name="refusal">Why, naming the setting that would allow it.</param>
internal sealed class RedirectRefusedException(SettingAdvice refusal) : HttpRequestException(refusal.ToString())
{
    /// <summary>Why, naming the setting that would allow it (<see cref="IpRangesClientOptions.AllowInsecureHttp"/>).</summary>
    public SettingAdvice Refusal { get; } = refusal;
}
