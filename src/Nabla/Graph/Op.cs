using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;

namespace Nabla;

/// <summary>
/// An operation type with its attributes. One instance per node. An op declares its shape and dtype
/// rule, its forward computation (a call into kernels), its VJP rule (reverse mode) and its JVP rule
/// (forward mode). Derivative rules build nodes with the public graph API, so they can be differentiated again.
/// </summary>
public abstract class Op
{
    /// <summary>The op's type name, e.g. "MatMul". Also the default node name.</summary>
    public abstract string Type { get; }

    /// <summary>
    /// The output shape for these input shapes. Called when the node is built (dims may be -1) and again
    /// by the session with concrete shapes. Throws <see cref="ShapeMismatchException"/> naming the node.
    /// </summary>
    public abstract Shape InferShape(Node node, Shape[] inputShapes);

    /// <summary>The output dtype; by default every input must share one dtype.</summary>
    public virtual DType InferDType(Node node) => OpChecks.SameDType(node);

    /// <summary>True when this op computes outputs of <paramref name="dtype"/>; the graph checks it when the node is built.</summary>
    public virtual bool SupportsDType(DType dtype) => dtype.IsFloatingPoint();

    /// <summary>
    /// Computes the output from the inputs. Must not write to the inputs. By default runs <see cref="Forward{T}"/> for a
    /// floating-point dtype, or <see cref="ForwardNumber{T}"/> for an integer one (the output's dtype, or the first
    /// input's when <see cref="ForwardsInInputDType"/>): the one place where a dtype becomes a type argument. Ops whose
    /// work does not depend on the element type (copies, fills of fixed values, conversions) override this instead.
    /// </summary>
    public virtual void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) =>
        KernelFor(ForwardsInInputDType ? inputs[0].DType : output.DType, null)(inputs, output);

    /// <summary>Whether the forward's element type is the first input's rather than the output's (comparisons giving bool, ArgMax giving ids).</summary>
    protected virtual bool ForwardsInInputDType => false;

    /// <summary>What a session runs for a step of <paramref name="node"/>: the op's own <see cref="Forward(ReadOnlySpan{Tensor}, Tensor)"/>, or the dtype's kernel.</summary>
    internal ForwardKernel ForwardKernel(Node node) =>
        Facts(GetType()).OverridesForward ? Forward : KernelFor(ForwardsInInputDType ? node.Inputs[0].DType : node.DType, node);

    // A call of a generic virtual method with a value-type argument is a runtime lookup on every call (tens of ns, most
    // of a scalar op's cost); a delegate made once per op and dtype resolves it once.
    private ForwardKernel? _float32, _float64, _int32, _int64;

    private ForwardKernel KernelFor(DType dtype, Node? node) => dtype switch
    {
        DType.Float32 => _float32 ??= Facts(GetType()).OverridesForwardT ? Forward<float> : ForwardNumber<float>,
        DType.Float64 => _float64 ??= Facts(GetType()).OverridesForwardT ? Forward<double> : ForwardNumber<double>,
        DType.Int32 => _int32 ??= ForwardNumber<int>,
        DType.Int64 => _int64 ??= ForwardNumber<long>,
        _ => throw DTypeNotSupported(dtype, node),
    };

    /// <summary>Which forward methods an op type overrides (looked up once per type).</summary>
    private readonly record struct ForwardFacts(bool OverridesForward, bool OverridesForwardT);

    private static readonly ConcurrentDictionary<Type, ForwardFacts> s_forwardFacts = new();

    private static ForwardFacts Facts(Type opType) => s_forwardFacts.GetOrAdd(opType, static t =>
    {
        Type[] parameters = [typeof(ReadOnlySpan<Tensor>), typeof(Tensor)];
        var forward = t.GetMethod(nameof(Forward), 0, BindingFlags.Instance | BindingFlags.Public, parameters)!;
        var forwardT = t.GetMethod(nameof(Forward), 1, BindingFlags.Instance | BindingFlags.NonPublic, parameters)!;
        return new ForwardFacts(forward.DeclaringType != typeof(Op), forwardT.DeclaringType != typeof(Op));
    });

    /// <summary>
    /// The forward computation for one floating-point element type, picked by <see cref="Forward(ReadOnlySpan{Tensor}, Tensor)"/>.
    /// By default the same as <see cref="ForwardNumber{T}"/>, so an op written once over any number serves every dtype.
    /// </summary>
    protected virtual void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output) where T : unmanaged, IFloatingPointIeee754<T> =>
        ForwardNumber<T>(inputs, output);

    /// <summary>
    /// The forward computation over any numeric element type (float, double, int, long); runs for the integer dtypes,
    /// and for the floating-point ones unless <see cref="Forward{T}"/> is overridden. Ops that compute integers override
    /// this and <see cref="SupportsDType"/>.
    /// </summary>
    protected virtual void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output) where T : unmanaged, INumber<T> =>
        throw new NotSupportedException($"Op {Type} overrides neither Forward, Forward<T> nor ForwardNumber<T>.");

    /// <summary>The error for a dtype this op does not support, naming the node when known and the dtypes it does support.</summary>
    public DTypeNotSupportedException DTypeNotSupported(DType dtype, Node? node)
    {
        var supported = Enum.GetValues<DType>().Where(SupportsDType).Select(d => d.Name());
        string where = node is null ? $"Op {Type}" : $"{Type} '{node.Name}'";
        return new DTypeNotSupportedException(
            $"{where} does not support dtype {dtype.Name()}; it supports {string.Join(", ", supported)}. Cast the inputs with Cast to one of those.");
    }

    /// <summary>Reverse mode: given dy (the gradient of the output), returns one gradient per input, null where none.</summary>
    public virtual Node?[] Vjp(Node node, Node dy) =>
        throw new GradientException($"Op {Type} (node '{node.Name}') has no gradient rule. Wrap the path in StopGradient if it needs none.");

    /// <summary>Forward mode: given the inputs' tangents (null for zero), returns the output's tangent (null for zero).</summary>
    public virtual Node? Jvp(Node node, Node?[] tangents) =>
        throw new GradientException($"Op {Type} (node '{node.Name}') has no forward-mode (JVP) rule.");

    /// <summary>
    /// For elementwise ops, the local partial derivative of the output with respect to each input
    /// (∂z/∂x as a node of the output's shape or broadcastable to it), null where not elementwise or not differentiable.
    /// Used to label graph edges and to explain the chain rule.
    /// </summary>
    public virtual Node?[]? LocalPartials(Node node) => null;

    /// <summary>
    /// Writes the attributes that rebuild this op (read back by the op's constructor taking <see cref="OpAttributes"/>),
    /// for model files and exporters. Ops without attributes write nothing.
    /// </summary>
    public virtual void WriteAttributes(OpAttributes attributes) { }

    /// <summary>
    /// Why a model file cannot hold this op (e.g. its rules are C# code, or it runs subgraphs not yet written to files);
    /// null when it can. Saving a graph with such a node is refused with this reason.
    /// </summary>
    public virtual string? UnsavableReason => null;

    /// <summary>
    /// The op and inputs a model file writes in place of <paramref name="node"/>, when it saves as another computation
    /// of the same value (a custom gradient whose rule is exact saves as its forward function); null: the node itself.
    /// </summary>
    internal virtual (Op Op, Node[] Inputs)? SavedForm(Node node) => null;

    /// <summary>Attributes for display, e.g. "axes=[1]".</summary>
    public virtual string Attributes => "";

    /// <summary>How the session may run this op inside a fused elementwise loop. Ops implementing <see cref="IChunkOp"/> are elementwise.</summary>
    public virtual FusionRole FusionRole => this is IChunkOp ? FusionRole.Elementwise : FusionRole.None;

    /// <summary>False for ops that take inputs only to run them first (Group), so a fused value they take may stay in scratch.</summary>
    public virtual bool ReadsInputValues => true;

    /// <summary>
    /// Whether running this op can throw once the plan has checked its inputs' shapes and dtypes: true (the default) for
    /// ops that check values (indices, labels, finiteness), run user code or subgraphs; false for ops that only compute
    /// (elementwise arithmetic, products, reductions, reshapes, updates). A run that writes variables before a step that
    /// may fail copies them first, so that a failure leaves them as they were.
    /// </summary>
    public virtual bool MayFailWhenRun => true;

    /// <summary>
    /// The input whose elements the output is, in the same order, for these concrete shapes (a reshape, an identity, a
    /// sum or broadcast to the input's own shape); -1 (the default) when the output is computed. The session then skips
    /// the step and lets the output view that input's storage where it can.
    /// </summary>
    public virtual int ViewedInput(Shape[] inputShapes, Shape output) => -1;

    /// <summary>Where the value of a node without inputs comes from (fed, constant, variable); <see cref="SourceKind.None"/> for computed ops.</summary>
    public virtual SourceKind SourceKind => SourceKind.None;

    /// <summary>True for ops whose value comes from outside the plan: placeholders, constants, variables.</summary>
    public bool IsSource => SourceKind != SourceKind.None;

    /// <summary>True for ops that change state when run (write variables, or exist to run ops that do); they have no gradient.</summary>
    public virtual bool IsStateful => false;

    /// <summary>The value a constant holds or a variable starts from (shared: do not modify it); null for other ops.</summary>
    public virtual Tensor? FixedValue => null;

    /// <summary>
    /// Control-flow ops run function bodies (subgraphs) through <paramref name="runner"/>: they return a copy of
    /// themselves bound to it, which the session runs. Every other op returns itself.
    /// </summary>
    public virtual Op BindRunner(IFunctionRunner runner) => this;
}
