using Microsoft.Extensions.Options;

namespace FirewallRules.Fetching;

/// <summary>Validates <see cref="IpRangesClientOptions"/> without reflection (source-generated from its attributes).</summary>
[OptionsValidator]
internal sealed partial class IpRangesClientOptionsValidator : IValidateOptions<IpRangesClientOptions>
{
    /// <summary>Throws when <paramref name="options"/> breaks a rule, naming every broken rule.</summary>
    /// <exception cref="OptionsValidationException">A setting is out of range.</exception>
    public static IpRangesClientOptions ThrowIfInvalid(IpRangesClientOptions options)
    {
        ValidateOptionsResult result = new IpRangesClientOptionsValidator().Validate(Options.DefaultName, options);
        return result.Failed
            ? throw new OptionsValidationException(Options.DefaultName, typeof(IpRangesClientOptions), result.Failures)
            : options;
    }
}
