namespace Nabla;

/// <summary>A value fed at run time. The session reports a missing feed before anything runs.</summary>
internal sealed class PlaceholderOp(Shape shape, DType dtype) : Op
{
    public Shape DeclaredShape { get; } = shape;
    public DType DeclaredDType { get; } = dtype;
    public override string Type => "Placeholder";
    internal PlaceholderOp(OpAttributes a) : this(a.Shape("shape"), a.DType("dtype")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("shape", DeclaredShape).Set("dtype", DeclaredDType);
    public override Shape InferShape(Node node, Shape[] inputShapes) => DeclaredShape;
    public override DType InferDType(Node node) => DeclaredDType;
    public override bool SupportsDType(DType dtype) => dtype.IsDefined();
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) =>
        throw new MissingFeedException("A placeholder was run without a feed.");
    public override Node?[] Vjp(Node node, Node dy) => [];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
    public override SourceKind SourceKind => SourceKind.Placeholder;
}

/// <summary>A fixed tensor held by the graph.</summary>
internal sealed class ConstantOp(Tensor value) : Op
{
    public Tensor Value { get; } = value;
    public override string Type => "Const";
    internal ConstantOp(OpAttributes a) : this(a.Tensor("value")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("value", Value);
    public override Shape InferShape(Node node, Shape[] inputShapes) => Value.Shape;
    public override DType InferDType(Node node) => Value.DType;
    public override bool SupportsDType(DType dtype) => dtype.IsDefined();
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) => Value.CopyTo(output);
    public override Node?[] Vjp(Node node, Node dy) => [];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
    public override string Attributes => Value.Size <= 4 ? $"value={Value}" : "";
    public override SourceKind SourceKind => SourceKind.Constant;
    public override Tensor? FixedValue => Value;
}

/// <summary>A trainable tensor; each session holds its own copy, starting from the initial value.</summary>
internal sealed class VariableOp(Tensor initialValue) : Op
{
    public Tensor InitialValue { get; } = initialValue;
    public override string Type => "Variable";
    internal VariableOp(OpAttributes a) : this(a.Tensor("value")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("value", InitialValue);
    public override Shape InferShape(Node node, Shape[] inputShapes) => InitialValue.Shape;
    public override DType InferDType(Node node) => InitialValue.DType;
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) => InitialValue.CopyTo(output);
    public override Node?[] Vjp(Node node, Node dy) => [];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
    public override SourceKind SourceKind => SourceKind.Variable;
    public override Tensor? FixedValue => InitialValue;
}
