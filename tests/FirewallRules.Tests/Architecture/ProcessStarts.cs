using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Which methods of this project's assemblies (the tests and the product) start a process, directly or through the methods
/// they call, read from their IL: every real tool, the mirror, a browser and a network namespace (<c>ip netns add</c>) is a
/// process. A call, a constructor, a method handed to a delegate (a lambda) and the compiler's own types a method uses
/// (its async state machine, a lambda's closure) are followed; a call through an interface or a virtual method is followed
/// to the method named only, not to the overrides.
/// </summary>
internal sealed class ProcessStarts
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!).ToDictionary(code => code.Value);

    private readonly HashSet<Assembly> _assemblies;
    private readonly HashSet<(Module, int)> _reaching = [];
    private readonly Dictionary<(Module, int), (Module, int)?> _via = [];

    /// <summary>
    /// Reads every method of <paramref name="assemblies"/> once, and marks those that reach <see cref="Process.Start()"/>; the
    /// process starts of the <paramref name="exempt"/> types (and of their nested types) do not count.
    /// </summary>
    public ProcessStarts(IEnumerable<Assembly> assemblies, params Type[] exempt)
    {
        _assemblies = [.. assemblies];
        var callers = new Dictionary<(Module, int), List<(Module, int)>>();
        var pending = new Queue<(Module, int)>();
        foreach (MethodBase method in _assemblies.SelectMany(Types).Where(type => !Nested(type, exempt)).SelectMany(DeclaredMethods))
        {
            foreach (MethodBase callee in Callees(method))
            {
                if (callee.DeclaringType == typeof(Process) && callee.Name == nameof(Process.Start))
                {
                    pending.Enqueue(Key(method));
                    _via.TryAdd(Key(method), null);
                }
                else if (_assemblies.Contains(callee.Module.Assembly))
                {
                    (callers.TryGetValue(Key(callee), out List<(Module, int)>? list) ? list : callers[Key(callee)] = []).Add(Key(method));
                }
            }
        }

        while (pending.TryDequeue(out (Module, int) method))
        {
            if (_reaching.Add(method) && callers.TryGetValue(method, out List<(Module, int)>? list))
            {
                foreach ((Module, int) caller in list)
                {
                    _via.TryAdd(caller, method);
                    pending.Enqueue(caller);
                }
            }
        }
    }

    /// <summary>The assemblies of this project: the tests' own and the product's (the mirror's too, which the tool loads only to serve).</summary>
    public static IEnumerable<Assembly> ProjectAssemblies() =>
        ((string[])["FirewallRules.Tests", "FirewallRules", "fwrules", "FirewallRules.Server", "FirewallRules.Aws", "FirewallRules.IPNetwork2"]).Select(Assembly.Load);

    /// <summary>Whether <paramref name="type"/>'s own code (its methods, those of its nested and base types in these assemblies) starts a process.</summary>
    public bool Start(Type type) => OwnMethods(type).Any(Reaches);

    /// <summary>How <paramref name="type"/>'s code reaches a start of a process: its first method that does, and each call to it.</summary>
    public string Path(Type type)
    {
        var steps = new List<string>();
        for ((Module, int)? step = Key(OwnMethods(type).First(Reaches)); step is { } key && steps.Count < 12; step = _via[key])
        {
            MethodBase method = key.Item1.ResolveMethod(key.Item2)!;
            steps.Add($"{method.DeclaringType?.Name}.{method.Name}");
        }

        return string.Join(" > ", steps.Append("Process.Start"));
    }

    /// <summary>Whether <paramref name="method"/> starts a process, or calls what does.</summary>
    public bool Reaches(MethodBase method) => _reaching.Contains(Key(method));

    // A method's definition, the same for every generic instantiation of it or of its type.
    private static (Module, int) Key(MethodBase method) => (method.Module, method.MetadataToken);

    private static bool Nested(Type type, Type[] outer)
    {
        for (Type? current = type; current is not null; current = current.DeclaringType)
        {
            if (outer.Contains(current))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<Type> Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }

    private static IEnumerable<MethodBase> DeclaredMethods(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
    }

    private IEnumerable<MethodBase> OwnMethods(Type type)
    {
        for (Type? current = type; current is not null && _assemblies.Contains(current.Assembly); current = current.BaseType)
        {
            foreach (MethodBase method in AllMethods(current))
            {
                yield return method;
            }
        }
    }

    private static IEnumerable<MethodBase> AllMethods(Type type) =>
        DeclaredMethods(type).Concat(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(AllMethods));

    /// <summary>The methods <paramref name="method"/>'s IL calls, constructs or hands to a delegate, and those of the compiler's types whose fields it uses.</summary>
    private static List<MethodBase> Callees(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return [];
        }

        var callees = new List<MethodBase>();
        Type[] typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : [];
        Type[] methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : [];
        for (int offset = 0; offset < il.Length;)
        {
            OpCode code = il[offset] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[offset + 1])] : OpCodesByValue[il[offset]];
            offset += code.Size;
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                int token = BitConverter.ToInt32(il, offset);
                callees.AddRange(Resolve(method.Module, token, typeArguments, methodArguments));
            }

            offset += OperandSize(code, il, offset);
        }

        return callees;
    }

    private static IEnumerable<MethodBase> Resolve(Module module, int token, Type[] typeArguments, Type[] methodArguments)
    {
        MemberInfo? member;
        try
        {
            member = module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            yield break; // a token of a generic context this walk does not carry: nothing of the project's own
        }

        if (member is MethodBase callee)
        {
            yield return callee;
        }
        else if (member is FieldInfo { DeclaringType: { } holder } && typeof(IAsyncStateMachine).IsAssignableFrom(holder))
        {
            // An async method's state machine: its MoveNext runs the method's code. (A lambda is followed where it is handed
            // to a delegate; a class's cache of static lambdas is not followed whole, or every verb would reach every other.)
            foreach (MethodBase generated in AllMethods(holder.IsGenericType ? holder.GetGenericTypeDefinition() : holder))
            {
                yield return generated;
            }
        }
    }

    private static int OperandSize(OpCode code, byte[] il, int offset) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, offset)),
        _ => 4,
    };
}
