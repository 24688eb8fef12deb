using System.Reflection;
using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// Builds an op from its type name and attributes, for loading graphs from files. Every concrete op class of the core
/// registers itself by having a constructor that takes <see cref="OpAttributes"/> (or, with no attributes, a
/// parameterless one); libraries with ops of their own add them with <see cref="Register"/>.
/// </summary>
public static class OpRegistry
{
    private static readonly Dictionary<string, Func<OpAttributes, Op>> Factories = Discover(typeof(Op).Assembly);

    /// <summary>Every registered op type name.</summary>
    public static IReadOnlyCollection<string> Types { get { lock (Factories) return Factories.Keys.ToArray(); } }

    /// <summary>True when <paramref name="type"/> can be built.</summary>
    public static bool IsKnown(string type) { lock (Factories) return Factories.ContainsKey(type); }

    /// <summary>Adds or replaces the factory for an op type name.</summary>
    public static void Register(string type, Func<OpAttributes, Op> factory)
    {
        lock (Factories) Factories[type] = factory;
    }

    /// <summary>The op of type <paramref name="type"/> built from <paramref name="attributes"/>; <see cref="UnknownOpException"/> when none is registered.</summary>
    public static Op Create(string type, OpAttributes attributes)
    {
        Func<OpAttributes, Op>? factory;
        lock (Factories) Factories.TryGetValue(type, out factory);
        if (factory is null)
            throw new UnknownOpException($"Op type '{type}' is not known to this build of Nabla (known: {Types.Count} types). The file was written by a newer version or with ops from another library; register them with OpRegistry.Register.");
        return factory(attributes);
    }

    private static Op Construct(ConstructorInfo constructor, object?[]? arguments)
    {
        try { return (Op)constructor.Invoke(arguments); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static Dictionary<string, Func<OpAttributes, Op>> Discover(Assembly assembly)
    {
        var result = new Dictionary<string, Func<OpAttributes, Op>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract && !t.ContainsGenericParameters))
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            var withAttributes = type.GetConstructor(flags, [typeof(OpAttributes)]);
            var plain = type.GetConstructor(flags, Type.EmptyTypes);
            if (withAttributes is null && plain is null) continue;
            // Op type names are constants of the class, so an uninitialized instance can tell its name.
            var name = ((Op)RuntimeHelpers.GetUninitializedObject(type)).Type;
            result[name] = withAttributes is not null
                ? a => Construct(withAttributes, [a])
                : _ => Construct(plain!, null);
        }
        // ArgExtremeOp names itself by its direction, so its uninitialized instance names only ArgMin.
        result["ArgMax"] = result["ArgMin"];
        return result;
    }
}
