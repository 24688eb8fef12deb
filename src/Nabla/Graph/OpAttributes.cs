using System.Globalization;

namespace Nabla;

/// <summary>
/// The attributes that rebuild an op, by name: integers, reals, flags, strings, integer lists, shapes, dtypes,
/// tensors, and for control flow body graphs and ops. An op writes them in <see cref="Op.WriteAttributes"/> and reads them back in its constructor taking
/// <see cref="OpAttributes"/>; model files and exporters read them through this public view. An absent optional
/// attribute (say, Sum's axes when it reduces everything) is simply not written.
/// </summary>
public sealed class OpAttributes
{
    private readonly List<KeyValuePair<string, object>> _items = [];

    /// <summary>The attributes in the order they were written. Values are int, double, bool, string, int[], Shape, DType, Tensor, Graph (a control-flow body) or Op.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Items => _items;

    /// <summary>The op type the attributes belong to, for error messages.</summary>
    public string OpType { get; init; } = "";

    /// <summary>The attributes <paramref name="node"/>'s op writes.</summary>
    public static OpAttributes Of(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var attributes = new OpAttributes { OpType = node.OpType };
        node.Op.WriteAttributes(attributes);
        return attributes;
    }

    /// <summary>The attributes <paramref name="op"/> writes (an op held by another op, such as the construct a control-flow result reads).</summary>
    public static OpAttributes Of(Op op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var attributes = new OpAttributes { OpType = op.Type };
        op.WriteAttributes(attributes);
        return attributes;
    }

    /// <summary>Sets an attribute; a null value leaves it absent. Throws for a type outside the supported set.</summary>
    public OpAttributes Set(string name, object? value)
    {
        if (value is null) return this;
        if (value is not (int or double or bool or string or int[] or Nabla.Shape or Nabla.DType or Nabla.Tensor or Nabla.Graph or Nabla.Op))
            throw new InvalidGraphArgumentException($"Attribute '{name}' of {OpType}: values of type {value.GetType().Name} cannot be saved; use int, double, bool, string, int[], Shape, DType, Tensor, Graph or Op.");
        _items.RemoveAll(i => i.Key == name);
        _items.Add(KeyValuePair.Create(name, value is int[] a ? (object)(int[])a.Clone() : value));
        return this;
    }

    /// <summary>True when the attribute is present.</summary>
    public bool Has(string name) => _items.Exists(i => i.Key == name);

    /// <summary>The int attribute called <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public int Int(string name) => Get<int>(name);
    /// <summary>The double attribute called <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public double Double(string name) => Get<double>(name);
    /// <summary>The bool attribute called <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public bool Bool(string name) => Get<bool>(name);
    /// <summary>The string attribute called <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public string String(string name) => Get<string>(name);
    /// <summary>The int[] attribute called <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public int[] Ints(string name) => (int[])Get<int[]>(name).Clone();
    /// <summary>The Shape attribute called <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public Shape Shape(string name) => Get<Shape>(name);
    /// <summary>The DType attribute called <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public DType DType(string name) => Get<DType>(name);
    /// <summary>The Tensor attribute called <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public Tensor Tensor(string name) => Get<Tensor>(name);
    /// <summary>The body graph attribute called <paramref name="name"/> (a control-flow op's subgraph); throws when it is missing or of another type.</summary>
    public Graph Graph(string name) => Get<Graph>(name);
    /// <summary>The op attribute called <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public Op Op(string name) => Get<Op>(name);

    /// <summary>An optional integer list: null when absent.</summary>
    public int[]? IntsOrNull(string name) => Has(name) ? Ints(name) : null;

    /// <summary>An optional shape: null when absent.</summary>
    public Shape? ShapeOrNull(string name) => Has(name) ? Shape(name) : null;

    private T Get<T>(string name)
    {
        foreach (var (key, value) in _items)
        {
            if (key != name) continue;
            return value is T t ? t : throw new InvalidGraphArgumentException(
                $"Attribute '{name}' of {OpType} is a {value.GetType().Name}, not a {typeof(T).Name}; the file or exporter that wrote it is wrong.");
        }
        throw new InvalidGraphArgumentException($"Op {OpType} needs the attribute '{name}' ({typeof(T).Name}), which is missing.");
    }

    /// <summary>"name=value" pairs, for display.</summary>
    public override string ToString() => string.Join(", ", _items.Select(i => $"{i.Key}={Format(i.Value)}"));

    private static string Format(object value) => value switch
    {
        int[] a => "[" + string.Join(", ", a) + "]",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DType t => t.Name(),
        Tensor t => $"tensor {t.Shape} {t.DType.Name()}",
        Graph g => $"graph of {g.Nodes.Count} nodes",
        Op op => op.Type,
        _ => value.ToString() ?? "",
    };
}
