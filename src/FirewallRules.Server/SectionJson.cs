using System.Text.Json;

namespace FirewallRules.Server;

/// <summary>Cuts one section's document out of a whole ip-ranges document, keeping its bytes as the upstream wrote them.</summary>
internal static class SectionJson
{
    /// <summary>
    /// The value of the top-level property <paramref name="name"/> of <paramref name="document"/> (the
    /// section's object, which a per-section document carries at its root), exactly as it is written there,
    /// with a final newline.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The document has no such property.</exception>
    public static byte[] Cut(ReadOnlyMemory<byte> document, string name)
    {
        var reader = new Utf8JsonReader(document.Span);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool found = reader.ValueTextEquals(name);
            reader.Read();
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (found)
            {
                int end = (int)reader.BytesConsumed;
                byte[] section = new byte[end - start + 1];
                document.Span[start..end].CopyTo(section);
                section[^1] = (byte)'\n';
                return section;
            }
        }

        throw new KeyNotFoundException($"the document has no property '{name}'");
    }
}
