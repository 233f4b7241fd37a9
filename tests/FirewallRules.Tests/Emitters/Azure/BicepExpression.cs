using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Emitters;

/// <summary>An expression <see cref="BicepReader"/> read: its text (<see cref="ToString"/>) is Bicep's spelling.</summary>
internal abstract record BicepExpression
{
    /// <summary>A parameter, a resource's symbolic name, or a function's name.</summary>
    public sealed record Name(string Text) : BicepExpression
    {
        public override string ToString() => Text;
    }

    /// <summary><c>target.member</c>.</summary>
    public sealed record Member(BicepExpression Target, string Property) : BicepExpression
    {
        public override string ToString() => $"{Target}.{Property}";
    }

    /// <summary><c>target[position]</c>.</summary>
    public sealed record Index(BicepExpression Target, int Position) : BicepExpression
    {
        public override string ToString() => $"{Target}[{Position}]";
    }

    /// <summary><c>function(arguments)</c>: each argument a string or an <c>expr:...</c> value.</summary>
    public sealed record Call(string Function, IReadOnlyList<JsonNode?> Arguments) : BicepExpression
    {
        public override string ToString() =>
            $"{Function}(" +
            $"{string.Join(", ", Arguments.Select(a => a!.GetValue<string>() is var text && text.StartsWith("expr:", StringComparison.Ordinal) ? text[5..] : $"'{text}'"))})";
    }
}
