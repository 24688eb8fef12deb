using System.Text;
using CsCheck;

namespace Nabla.Tests.Fuzzing;

/// <summary>One step of a fuzzed graph: an op (index into <see cref="FuzzOps.All"/>), two operand choices and a parameter.</summary>
internal readonly record struct FuzzStep(int Op, int A, int B, int P);

/// <summary>
/// A random graph: float64 placeholders whose shapes broadcast against one base shape (each axis kept or
/// collapsed to 1, leading axes dropped), then steps that each apply an op to earlier nodes. A step whose op
/// does not fit its operands falls back to Tanh, so every generated case is a valid graph and shrinks toward
/// fewer, simpler steps (op 0 is Neg) over smaller shapes.
/// </summary>
internal sealed record FuzzCase(int[] BaseShape, (int Mask, int Drop)[] Inputs, FuzzStep[] Steps, int ValueSeed)
{
    public static readonly Gen<FuzzCase> Gen =
        from baseShape in CsCheck.Gen.Int[1, 4].Array[0, 3]
        from inputs in CsCheck.Gen.Select(CsCheck.Gen.Int[0, 7], CsCheck.Gen.Int[0, 3]).Array[1, 3]
        from steps in CsCheck.Gen.Select(CsCheck.Gen.Int[0, FuzzOps.All.Length - 1], CsCheck.Gen.Int[0, 9], CsCheck.Gen.Int[0, 9], CsCheck.Gen.Int[0, 999])
            .Select((op, a, b, p) => new FuzzStep(op, a, b, p)).Array[1, 6]
        from valueSeed in CsCheck.Gen.Int[0, 999]
        select new FuzzCase(baseShape, inputs, steps, valueSeed);

    public Shape InputShape(int i)
    {
        var (mask, drop) = Inputs[i];
        var dims = BaseShape.Skip(Math.Min(drop, BaseShape.Length)).ToArray();
        for (int k = 0; k < dims.Length; k++)
            if ((mask >> k & 1) == 1) dims[k] = 1;
        return new Shape(dims);
    }

    public Tensor InputValue(int i) => Tensor.RandomNormal(InputShape(i), ValueSeed + i, dtype: DType.Float64);

    /// <summary>The op each step applies (after the fallback) and its operand indices into the node list (inputs first).</summary>
    public (FuzzOp Op, int A, int B, int P)[] Resolve()
    {
        var shapes = Enumerable.Range(0, Inputs.Length).Select(InputShape).ToList();
        var resolved = new (FuzzOp, int, int, int)[Steps.Length];
        var tanh = FuzzOps.All.Single(o => o.Name == "Tanh");
        for (int k = 0; k < Steps.Length; k++)
        {
            var s = Steps[k];
            var op = FuzzOps.All[s.Op];
            int a = shapes.Count - 1 - s.A % shapes.Count, b = shapes.Count - 1 - s.B % shapes.Count;
            if (!op.Fits(shapes[a], op.Arity == 2 ? shapes[b] : null, s.P)) op = tanh;
            resolved[k] = (op, a, b, s.P);
            shapes.Add(Infer(op, shapes[a], shapes[b], s.P));
        }
        return resolved;
    }

    /// <summary>The result shape, from the reference on zeros (shapes here are tiny).</summary>
    private static Shape Infer(FuzzOp op, Shape a, Shape b, int p) =>
        op.Ref(Tensor.Zeros(a, DType.Float64), op.Arity == 2 ? Tensor.Zeros(b, DType.Float64) : null, p).Shape;

    /// <summary>Builds the graph; returns the placeholders and the last node.</summary>
    public (Node[] X, Node Y) Build(Graph g, DType dtype)
    {
        var nodes = Enumerable.Range(0, Inputs.Length).Select(i => g.Placeholder($"x{i}", InputShape(i), dtype)).ToList();
        var xs = nodes.ToArray();
        foreach (var (op, a, b, p) in Resolve()) nodes.Add(op.Build(nodes[a], op.Arity == 2 ? nodes[b] : null, p));
        return (xs, nodes[^1]);
    }

    /// <summary>The last node's value from the naive references (float64 arithmetic on the inputs as fed in <paramref name="dtype"/>).</summary>
    public Tensor Reference(DType dtype)
    {
        var values = Enumerable.Range(0, Inputs.Length).Select(i => InputValue(i).Cast(dtype).Cast(DType.Float64)).ToList();
        foreach (var (op, a, b, p) in Resolve()) values.Add(op.Ref(values[a], op.Arity == 2 ? values[b] : null, p));
        return values[^1];
    }

    public bool Smooth => Resolve().All(s => s.Op.Smooth);

    public bool Continuous => Resolve().All(s => s.Op.Continuous);

    /// <summary>The case as C# that rebuilds it, for a failing test's message.</summary>
    public string ToCSharp()
    {
        var sb = new StringBuilder("var g = new Graph();\n");
        var names = new List<string>();
        var shapes = new List<Shape>();
        for (int i = 0; i < Inputs.Length; i++)
        {
            names.Add($"x{i}");
            shapes.Add(InputShape(i));
            sb.Append($"var x{i} = g.Placeholder(\"x{i}\", new Shape({string.Join(", ", InputShape(i).Dims)}), DType.Float64); ")
              .Append($"// fed Tensor.RandomNormal(x{i}.Shape, {ValueSeed + i}, dtype: DType.Float64)\n");
        }
        foreach (var (op, a, b, p) in Resolve())
        {
            string name = $"n{names.Count}";
            sb.Append($"var {name} = {op.Code(names[a], op.Arity == 2 ? names[b] : null, shapes[a], p)};\n");
            names.Add(name);
            shapes.Add(Infer(op, shapes[a], shapes[b], p));
        }
        return sb.Append($"// y = {names[^1]}").ToString();
    }

    public override string ToString() => ToCSharp();
}
