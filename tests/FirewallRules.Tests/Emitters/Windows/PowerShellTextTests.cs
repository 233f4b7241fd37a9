using FirewallRules.Emitters.Windows;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Emitters.Windows;

/// <summary>Quoting for generated PowerShell, read back the way PowerShell's tokenizer reads it.</summary>
[TestFixture]
public class PowerShellTextTests
{
    [TestCase("'", "''''")]
    [TestCase("\u2018", "''''")]
    [TestCase("\u2019", "''''")]
    [TestCase("\u201A", "''''")]
    [TestCase("\u201B", "''''")]
    [TestCase("a\r\nb", "'a??b'")]
    [TestCase("$(calc) `n \"x\"", "'$(calc) `n \"x\"'")]
    [TestCase("\u201Cdouble\u201D", "'?double?'")]
    [TestCase("", "''")]
    public void Literal_QuotesAndLineBreaks_AreEscapedOrReplaced(string text, string literal) =>
        Assert.That(PowerShellText.Literal(text), Is.EqualTo(literal));

    [FsCheckProperty(MaxTest = 1000)]
    public void Literal_AnyText_ReadsBackAsOneStringArgument(string? text)
    {
        text ??= string.Empty;

        PowerShellScript script = PowerShellScript.Read($"Write-Warning {PowerShellText.Literal(text)}\n");

        string expected = string.Concat(text.Select(c => c is '\u2018' or '\u2019' or '\u201A' or '\u201B' ? '\'' : c is >= ' ' and <= '~' ? c : '?'));
        Assert.That(script.Commands, Has.Count.EqualTo(1));
        Assert.That(script.Commands[0].Parameters.Select(p => (p.Name, p.Value?.Single)), Is.EqualTo(new[] { ("", (string?)expected) }));
    }

    [FsCheckProperty(MaxTest = 1000)]
    public void Comment_AnyText_IsOneCommentLine(string? text)
    {
        text ??= string.Empty;

        PowerShellScript script = PowerShellScript.Read(ScriptText.Comment(text) + "\n");

        Assert.That(script.Commands, Is.Empty);
        Assert.That(script.Comments, Has.Count.EqualTo(1));
    }

    [TestCase("'")]
    [TestCase("\u2018")]
    [TestCase("\u2019")]
    [TestCase("\u201A")]
    [TestCase("\u201B")]
    public void Reader_UnescapedQuote_EndsTheStringAsPowerShellDoes(string quote)
    {
        // The reader proves something only if it splits strings where PowerShell does: an unescaped quote of
        // any kind ends the literal, and what follows is read as code.
        PowerShellScript script = PowerShellScript.Read($"Write-Warning 'a{quote}b''\n");

        Assert.That(script.Commands[0].Parameters.Select(p => p.Value?.Single), Is.EqualTo(new[] { "a", "b", "" }));
    }

    [TestCase("Write-Warning \"$x\"\n")]
    [TestCase("Write-Warning \u201Cx\u201D\n")]
    [TestCase("Write-Warning $(calc)\n")]
    [TestCase("& calc\n")]
    [TestCase("Write-Warning `\n")]
    [TestCase("<# x #>\n")]
    [TestCase("Write-Warning @'\nx\n'@\n")]
    [TestCase("Write-Warning 'open\n")]
    public void Reader_WhatTheEmitterNeverWrites_IsRefused(string text) =>
        Assert.That(() => PowerShellScript.Read(text), Throws.TypeOf<FormatException>());

    [Test]
    public void Reader_CommandsAfterPipesBlocksAndAssignments_AreAllFound()
    {
        PowerShellScript script = PowerShellScript.Read("$a = @(Get-A -X 'y' | Where-Object Name -Like '*')\nif (-not $b) { Set-B @c; Remove-C -InputObject $a }\n");

        Assert.That(script.Commands.Select(c => c.Name), Is.EqualTo(new[] { "Get-A", "Where-Object", "Set-B", "Remove-C" }));
    }
}
