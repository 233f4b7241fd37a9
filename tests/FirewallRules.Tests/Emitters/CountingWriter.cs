namespace FirewallRules.Tests.Emitters;

/// <summary>Keeps nothing: counts the characters written, and the IPv4 host prefixes among them by their <c>/32</c>.</summary>
internal sealed class CountingWriter : TextWriter
{
    private int _matched;

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public long Characters { get; private set; }

    public int Prefixes { get; private set; }

    public override void Write(char value)
    {
        _matched = value == "/32"[_matched] ? _matched + 1 : value == '/' ? 1 : 0;
        if (_matched == 3)
        {
            Prefixes++;
            _matched = 0;
        }

        Characters++;
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        foreach (char c in buffer)
        {
            Write(c);
        }
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));
}
