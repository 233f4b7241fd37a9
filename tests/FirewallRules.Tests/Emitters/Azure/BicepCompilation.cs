using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// What Bicep compiles a file <see cref="BicepReader"/> read to, for the subset the Azure formats write, as ARM JSON: the
/// parameters (type and default), each resource (a child's name prefixed with its parent's, <c>dependsOn</c> its parent
/// and every resource its properties refer to), and the outputs. A parameter becomes <c>parameters('p')</c>, a resource's
/// <c>.id</c> <c>resourceId(...)</c> and its <c>.properties</c> <c>reference(resourceId(...), 'apiVersion')</c>, as
/// Bicep's compiler writes them; a literal that would read as an expression gets ARM's <c>[[</c>.
/// </summary>
internal sealed class BicepCompilation
{
    private readonly BicepReader _bicep;
    private readonly Dictionary<string, (string Type, string ApiVersion, JsonObject Body)> _resources;

    private BicepCompilation(BicepReader bicep)
    {
        _bicep = bicep;
        _resources = bicep.Resources.ToDictionary(r => r.Symbol, r => (r.Type.Split('@')[0], r.Type.Split('@')[1], r.Body));
    }

    /// <summary>The template: <c>parameters</c>, <c>resources</c> and <c>outputs</c>, as ARM spells them.</summary>
    public static JsonObject Compile(BicepReader bicep)
    {
        var compilation = new BicepCompilation(bicep);
        var parameters = new JsonObject();
        foreach ((string name, string? value) in bicep.Parameters)
        {
            var parameter = new JsonObject { ["type"] = "string" };
            if (value is not null)
            {
                parameter["defaultValue"] = compilation.Value(JsonValue.Create(value));
            }

            parameters[name] = parameter;
        }

        var outputs = new JsonObject();
        foreach ((string name, string value) in bicep.Outputs)
        {
            outputs[name] = new JsonObject { ["type"] = "string", ["value"] = compilation.Value(JsonValue.Create(value)) };
        }

        return new JsonObject
        {
            ["parameters"] = parameters,
            ["resources"] = new JsonArray([.. bicep.Resources.Select(r => compilation.Resource(r.Symbol))]),
            ["outputs"] = outputs,
        };
    }

    /// <summary>The ARM template's own <c>parameters</c> (without their metadata), <c>resources</c> and <c>outputs</c>, each resource's <c>dependsOn</c> in order.</summary>
    public static JsonObject Comparable(JsonNode arm)
    {
        var parameters = new JsonObject();
        foreach ((string name, JsonNode? parameter) in arm["parameters"]!.AsObject())
        {
            JsonObject copy = parameter!.DeepClone().AsObject();
            copy.Remove("metadata");
            parameters[name] = copy;
        }

        JsonArray resources = arm["resources"]!.DeepClone().AsArray();
        foreach (JsonObject resource in resources.Select(r => r!.AsObject()))
        {
            if (resource["dependsOn"] is JsonArray dependsOn)
            {
                resource["dependsOn"] = new JsonArray([.. dependsOn.Select(d => (string)d!).Order(StringComparer.Ordinal).Select(d => JsonValue.Create(d))]);
            }
        }

        return new JsonObject { ["parameters"] = parameters, ["resources"] = resources, ["outputs"] = arm["outputs"]!.DeepClone() };
    }

    private JsonObject Resource(string symbol)
    {
        (string type, string apiVersion, JsonObject body) = _resources[symbol];
        string? parent = body["parent"] is JsonNode reference ? ((BicepExpression.Name)Parse(reference)).Text : null;
        var resource = new JsonObject
        {
            ["type"] = type,
            ["apiVersion"] = apiVersion,
            ["name"] = parent is null ? Value(body["name"]) : Literal($"{(string)_resources[parent].Body["name"]!}/{(string)body["name"]!}"),
        };
        if (body["location"] is JsonNode location)
        {
            resource["location"] = Value(location);
        }

        string[] dependsOn = [.. (parent is null ? [] : new[] { parent }).Concat(Symbols(body["properties"])).Distinct().Select(s => $"[{Id(s)}]").Order(StringComparer.Ordinal)];
        if (dependsOn.Length > 0)
        {
            resource["dependsOn"] = new JsonArray([.. dependsOn.Select(d => JsonValue.Create(d))]);
        }

        resource["properties"] = Value(body["properties"]);
        return resource;
    }

    private JsonNode? Value(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Value(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Value)]),
        JsonValue value when value.TryGetValue(out string? text) => text.StartsWith("expr:", StringComparison.Ordinal) ? $"[{Arm(_bicep.Expressions[text])}]" : Literal(text),
        _ => node!.DeepClone(),
    };

    private string Arm(BicepExpression expression) => expression switch
    {
        BicepExpression.Name name when _bicep.Parameters.ContainsKey(name.Text) => $"parameters('{name.Text}')",
        BicepExpression.Member { Target: BicepExpression.Name name, Property: "id" } when _resources.ContainsKey(name.Text) => Id(name.Text),
        BicepExpression.Member { Target: BicepExpression.Name name, Property: "properties" } when _resources.ContainsKey(name.Text) =>
            $"reference({Id(name.Text)}, '{_resources[name.Text].ApiVersion}')",
        BicepExpression.Member member => $"{Arm(member.Target)}.{member.Property}",
        BicepExpression.Index index => $"{Arm(index.Target)}[{index.Position}]",
        BicepExpression.Call call => $"{call.Function}({string.Join(", ", call.Arguments.Select(Argument))})",
        _ => throw new FormatException($"'{expression}' is not a parameter, a resource's id or properties, or a function call"),
    };

    private string Argument(JsonNode? argument) =>
        (string)argument! is var text && text.StartsWith("expr:", StringComparison.Ordinal)
            ? Arm(_bicep.Expressions[text])
            : $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

    // resourceId(type, name...): a child's parent name first; a name that is a parameter as its reference.
    private string Id(string symbol)
    {
        (string type, _, JsonObject body) = _resources[symbol];
        string Segment(JsonNode name) => ((string)name!).StartsWith("expr:", StringComparison.Ordinal) ? Arm(Parse(name)) : $"'{(string)name!}'";
        string[] names = body["parent"] is JsonNode parent
            ? [Segment(_resources[((BicepExpression.Name)Parse(parent)).Text].Body["name"]!), Segment(body["name"]!)]
            : [Segment(body["name"]!)];
        return $"resourceId('{type}', {string.Join(", ", names)})";
    }

    // The resources an expression anywhere in the node refers to.
    private IEnumerable<string> Symbols(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Symbols(p.Value)),
        JsonArray array => array.SelectMany(Symbols),
        JsonValue value when value.TryGetValue(out string? text) && text.StartsWith("expr:", StringComparison.Ordinal) =>
            Names(_bicep.Expressions[text]).Where(_resources.ContainsKey),
        _ => [],
    };

    private IEnumerable<string> Names(BicepExpression expression) => expression switch
    {
        BicepExpression.Name name => [name.Text],
        BicepExpression.Member member => Names(member.Target),
        BicepExpression.Index index => Names(index.Target),
        BicepExpression.Call call => call.Arguments.Where(a => ((string)a!).StartsWith("expr:", StringComparison.Ordinal)).SelectMany(a => Names(Parse(a))),
        _ => [],
    };

    private BicepExpression Parse(JsonNode? node) => _bicep.Expressions[(string)node!];

    private static string Literal(string text) => text.StartsWith('[') && text.EndsWith(']') ? "[" + text : text;
}
