using FirewallRules.Cli;

namespace FirewallRules.Tests.Cli;

[TestFixture]
[NonParallelizable] // NO_COLOR is process-wide
public class CliConsoleTests
{
    [Test]
    public void WriteError_OnATerminal_IsRed()
    {
        var error = new StringWriter();

        Console(error, terminal: true).WriteError("fwrules: boom");

        Assert.That(error.ToString(), Is.EqualTo("\u001b[31mfwrules: boom\u001b[0m" + Environment.NewLine));
    }

    [Test]
    public void WriteError_OnATerminalWithNoColor_IsPlain()
    {
        var error = new StringWriter();
        Environment.SetEnvironmentVariable("NO_COLOR", "1");
        try
        {
            Console(error, terminal: true).WriteError("fwrules: boom");
        }
        finally
        {
            Environment.SetEnvironmentVariable("NO_COLOR", null);
        }

        Assert.That(error.ToString(), Is.EqualTo("fwrules: boom" + Environment.NewLine));
    }

    [Test]
    public void WriteNote_Redirected_IsPlain()
    {
        var error = new StringWriter();

        Console(error, terminal: false).WriteNote("aggregate: 1 prefixes in");

        Assert.That(error.ToString(), Is.EqualTo("aggregate: 1 prefixes in" + Environment.NewLine));
    }

    private static CliConsole Console(TextWriter error, bool terminal) =>
        new(() => Stream.Null, () => Stream.Null, error, terminal);
}
