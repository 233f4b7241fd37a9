using System.Globalization;

namespace FirewallRules.Advice;

/// <summary>
/// What resolves a refusal, as a sentence naming the settings to change: <c>raise {0} after AWS raises your quota</c>
/// with <c>AwsSecurityGroupOptions.RulesPerGroup</c> for <c>{0}</c>. The library's messages name its own settings; a
/// tool that spells them its own way, such as a command line's flags, formats the sentence with its names instead.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class SettingAdvice
{
    private readonly string[] _settings;

    /// <summary>Creates advice.</summary>
    /// <param name="sentence">The advice, with <c>{0}</c>, <c>{1}</c> ... where the settings' names go (a composite format string).</param>
    /// <param name="settings">
    /// The settings, named <c>Type.Property</c> as the library spells them (e.g. <c>EmitterOptions.MaxPrefixesPerRule</c>),
    /// or <c>Type.Method(parameter)</c> for a parameter.
    /// </param>
    /// <exception cref="FormatException"><paramref name="sentence"/> refers to a setting that is not given, or is not a valid format.</exception>
    public SettingAdvice(string sentence, params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        ArgumentNullException.ThrowIfNull(settings);
        Sentence = sentence;
        _settings = [.. settings];
        _ = ToString(); // a sentence that cannot be formatted fails here, not when a refusal is reported
    }

    /// <summary>The advice, with <c>{0}</c>, <c>{1}</c> ... for the settings.</summary>
    public string Sentence { get; }

    /// <summary>The settings the advice names, as the library spells them.</summary>
    public IReadOnlyList<string> Settings => _settings;

    /// <summary>The advice with each setting named by <paramref name="nameSetting"/>, e.g. a command line's flag for it.</summary>
    public string Format(Func<string, string> nameSetting)
    {
        ArgumentNullException.ThrowIfNull(nameSetting);
        return string.Format(CultureInfo.InvariantCulture, Sentence, [.. _settings.Select(nameSetting)]);
    }

    /// <summary>The advice with the settings named as the library spells them.</summary>
    public override string ToString() => Format(setting => setting);
}
