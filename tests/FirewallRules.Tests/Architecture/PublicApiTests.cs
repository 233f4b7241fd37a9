using System.Reflection;
using System.Text;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// The library's public surface, pinned in <c>Architecture/PublicApi.txt</c> (PublicApiAnalyzers is not in
/// the package registry). A change to it is deliberate: rerun with <c>UPDATE_GOLDEN=1</c>, review, and
/// note it in CHANGELOG.md.
/// </summary>
[TestFixture]
public class PublicApiTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Test]
    public void PublicApi_MatchesTheReviewedList()
    {
        GoldenFile.AssertMatchesFile(Describe(typeof(PrefixSet).Assembly), Path.Combine("Architecture", "PublicApi.txt"));
    }

    [Test]
    public void PublicApi_EveryPublicTypeIsInTheRootOrAStageNamespace()
    {
        string[] stages = ["Advice", "Cidr", "Ranges", "Fetching", "Rules", "Ports", "PrivateLink", "Emitters", "Verification", "Notices", "Sync", "AgentConfig"];

        Assert.That(typeof(PrefixSet).Assembly.GetExportedTypes().Select(t => t.Namespace!)
            .Where(ns => ns is not "FirewallRules" and not "Microsoft.Extensions.DependencyInjection"
                && !stages.Any(stage => ns == $"FirewallRules.{stage}" || ns.StartsWith($"FirewallRules.{stage}.", StringComparison.Ordinal))), Is.Empty);
    }

    [Test]
    public void CompanionPackages_AreGrantedNoInternalsOfTheCore()
    {
        // A package that used the core's internals would break at run time when a user updates only the core.
        string[] granted = [.. typeof(PrefixSet).Assembly.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];

        Assert.That(granted, Does.Contain("fwrules"), "guards the check against reading no attribute");
        Assert.That(
            granted.Where(name => name.StartsWith("FirewallRules.Aws", StringComparison.Ordinal) || name.StartsWith("FirewallRules.IPNetwork2", StringComparison.Ordinal)),
            Is.Empty);
    }

    internal static string Describe(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (Type type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(Kind(type)).Append(' ').Append(type.FullName);
            Type[] bases = type.IsEnum ? [] : [
                .. (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum) ? [baseType] : Array.Empty<Type>()),
                .. type.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal)];
            if (bases.Length > 0)
            {
                text.Append(" : ").Append(string.Join(", ", bases.Select(Name)));
            }

            text.Append('\n');
            IEnumerable<string> members = type.IsEnum
                ? Enum.GetNames(type).Select(name => $"  {name}")
                : type.GetMembers(Declared).Where(IsVisible).Select(Member).OfType<string>();
            foreach (string member in members.Order(StringComparer.Ordinal))
            {
                text.Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct"
        : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";

    private static bool IsVisible(MemberInfo member) => member switch
    {
        // Compiler-generated members (a record's <Clone>$) are not API anyone calls.
        MethodBase method =>
            ((method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly) && !method.IsSpecialName && !method.Name.Contains('<', StringComparison.Ordinal))
            || method is ConstructorInfo { IsPublic: true } or ConstructorInfo { IsFamily: true },
        PropertyInfo property => property.GetAccessors(nonPublic: true).Any(a => a.IsPublic || a.IsFamily),
        FieldInfo field => field.IsPublic || field.IsFamily,
        EventInfo e => e.AddMethod is { IsPublic: true },
        _ => false,
    };

    private static string? Member(MemberInfo member) => member switch
    {
        ConstructorInfo ctor => $"  {(ctor.IsFamily ? "protected " : string.Empty)}{(ctor.IsStatic ? "static " : string.Empty)}.ctor({Parameters(ctor)})",
        MethodInfo method => $"  {(method.IsFamily ? "protected " : string.Empty)}{(method.IsStatic ? "static " : string.Empty)}" +
            $"{Name(method.ReturnType)} {method.Name}{Generic(method)}({Parameters(method)})",
        PropertyInfo property => $"  {(property.GetMethod?.IsStatic == true ? "static " : string.Empty)}{Name(property.PropertyType)} {property.Name} {{ {Accessors(property)}}}",
        FieldInfo field => $"  {(field.IsStatic ? "static " : string.Empty)}" +
            $"{(field.IsLiteral ? "const " : field.IsInitOnly ? "readonly " : string.Empty)}{Name(field.FieldType)} {field.Name}",
        EventInfo e => $"  event {Name(e.EventHandlerType!)} {e.Name}",
        _ => null,
    };

    private static string Accessors(PropertyInfo property)
    {
        var accessors = new StringBuilder();
        if (property.GetMethod is { } get && (get.IsPublic || get.IsFamily))
        {
            accessors.Append("get; ");
        }

        if (property.SetMethod is { } set && (set.IsPublic || set.IsFamily))
        {
            bool init = set.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit");
            accessors.Append(init ? "init; " : "set; ");
        }

        return accessors.ToString();
    }

    private static string Generic(MethodInfo method) =>
        method.IsGenericMethodDefinition ? $"<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}>" : string.Empty;

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p =>
            $"{(p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : string.Empty)}{(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : string.Empty)}" +
            $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Name(Type type)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Name(inner) + "?";
        }

        if (type.IsGenericType)
        {
            string name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
            return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
        }

        return type.IsGenericParameter ? type.Name : type.Name;
    }
}
