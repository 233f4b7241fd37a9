using System.Globalization;
using System.Text;

namespace FirewallRules.Cli;

/// <summary>
/// Passes what is written on to another writer and counts the UTF-8 bytes it makes, so a verb that streams its output
/// can still say how big it was. The other writer stays open.
/// </summary>
internal sealed class Utf8CountingWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();

    public Utf8CountingWriter(TextWriter inner)
        : base(CultureInfo.InvariantCulture)
    {
        _inner = inner;
        NewLine = inner.NewLine;
    }

    /// <summary>The UTF-8 bytes written so far (a surrogate pair split over two writes counts as its four bytes).</summary>
    public long Bytes { get; private set; }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value) => Write([value]);

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Bytes += _encoder.GetByteCount(buffer, flush: false);
        _inner.Write(buffer);
    }

    public override void Flush() => _inner.Flush();
}
