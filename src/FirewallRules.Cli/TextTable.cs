using System.Text;

namespace FirewallRules.Cli;

/// <summary>Rows of text in columns padded to their widest cell, two spaces apart; the last column is not padded.</summary>
internal static class TextTable
{
    public static void Append(StringBuilder text, IReadOnlyList<string[]> rows)
    {
        int columns = rows.Max(row => row.Length);
        int[] widths = [.. Enumerable.Range(0, columns).Select(column => rows.Max(row => column < row.Length ? row[column].Length : 0) + 2)];
        foreach (string[] row in rows)
        {
            for (int column = 0; column < row.Length; column++)
            {
                text.Append(column == row.Length - 1 ? row[column] : row[column].PadRight(widths[column]));
            }

            text.Append('\n');
        }
    }
}
