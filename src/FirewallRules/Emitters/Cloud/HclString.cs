using System.Globalization;
using System.Text;

namespace FirewallRules.Emitters.Cloud;

/// <summary>Terraform (HCL) quoted strings, which are templates: <c>${</c> and <c>%{</c> would be evaluated.</summary>
internal static class HclString
{
    /// <summary>
    /// The text as an HCL quoted string that evaluates to exactly the text: backslash escapes for quotes,
    /// backslashes and control characters, <c>$${</c> and <c>%%{</c> for template sequences.
    /// </summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool opensTemplate = (c is '$' or '%') && i + 1 < text.Length && text[i + 1] == '{';
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                _ when opensTemplate => quoted.Append(c).Append(c),
                _ when char.IsControl(c) => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
