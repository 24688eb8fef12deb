using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Execution;

/// <summary>What one member of a fused group does to each slice.</summary>
internal enum FusedKind
{
    /// <summary>An <see cref="IChunkOp"/> on one or two operands.</summary>
    Elementwise,
    /// <summary>Output = a scalar input, broadcast.</summary>
    Fill,
    /// <summary>Output = input (a broadcast or sum that does not change the shape).</summary>
    Copy,
    /// <summary>Adds the slice's sum to a scalar accumulator (a full reduction).</summary>
    Sum,
    /// <summary>Writes the value into the variable (input 0) and to the output.</summary>
    Assign,
}

/// <summary>
/// Where a fused member reads or writes: a session value (whole tensor, sliced like the loop; a scalar; or, when
/// <see cref="Inner"/> &gt; 0, a value broadcast in runs: element e reads value (e / Inner) % Outer, expanded into run
/// row <see cref="Run"/> slice by slice), or a scratch row of one slice length that lives only inside the group.
/// </summary>
internal readonly record struct Operand(int Slot, int Scratch, bool IsScalar, int Inner = 0, int Outer = 0, int Run = -1)
{
    public static Operand None => new(-1, -1, false);
}

internal sealed record FusedMember(FusedKind Kind, IChunkOp? Op, Operand X, Operand Y, Operand Output, int Reduction);

/// <summary>
/// Consecutive elementwise steps over the same number of elements, run slice by slice so each slice stays in
/// cache across the whole chain; values used only inside the group live in scratch rows instead of tensors.
/// Large groups cut their range into parts run across cores; full reductions add per-part partial sums in order.
/// </summary>
internal sealed class FusedGroup
{
    /// <summary>Elements per slice: the group's scratch rows and live slices stay in L1/L2.</summary>
    public const int Slice = 2048;
    /// <summary>Each core gets at least this many elements before a group runs in parallel.</summary>
    public const int ParallelGrain = 1 << 16;

    public required int Length { get; init; }
    public required DType DType { get; init; }
    public required FusedMember[] Members { get; init; }
    public required int ScratchCount { get; init; }
    /// <summary>Operands broadcast in runs; each gets a row after the scratch rows.</summary>
    public required int RunCount { get; init; }
    /// <summary>Output slot of each full reduction.</summary>
    public required int[] ReductionSlots { get; init; }

    /// <summary>Groups at least this long run on more than one core.</summary>
    public const int ParallelLength = 2 * ParallelGrain;

    /// <summary>
    /// Parts the range is cut into: one when short; otherwise several per core, so a core that the OS
    /// preempts holds up only a small part while the others take the rest.
    /// </summary>
    public int Parts => WorkerPool.Parallelism > 1 && Length >= ParallelLength
        ? Math.Min(4 * WorkerPool.Parallelism, (Length + Slice - 1) / Slice) : 1;

    [ThreadStatic] private static float[]? t_scratch32;
    [ThreadStatic] private static double[]? t_scratch64;

    /// <summary>Per-run state: partial sums per part (added in part order, so results do not depend on timing).</summary>
    public sealed class State : IParallelBody
    {
        private readonly FusedGroup _group;
        private readonly Tensor?[] _values;
        private readonly int _parts;
        private readonly Array _partials;

        public State(FusedGroup group, Tensor?[] values)
        {
            _group = group;
            _values = values;
            _parts = group.Parts;
            _partials = Tensor.Allocate(group.DType, _parts * group.ReductionSlots.Length);
        }

        public void Run()
        {
            if (_parts == 1) Run(0);
            else WorkerPool.For(_parts, this);
            if (_group.DType == DType.Float32) Combine<float>(); else Combine<double>();
        }

        public void Run(int part)
        {
            int n = _group.Length, reductions = _group.ReductionSlots.Length;
            // Ranges are whole slices so parts never share a cache line of an output.
            int slices = (n + Slice - 1) / Slice, per = (slices + _parts - 1) / _parts;
            int lo = Math.Min(n, part * per * Slice), hi = Math.Min(n, (part + 1) * per * Slice);
            int scratch = Math.Max(1, (_group.ScratchCount + _group.RunCount) * Slice);
            if (_group.DType == DType.Float32)
            {
                if (t_scratch32 is null || t_scratch32.Length < scratch) t_scratch32 = new float[scratch];
                _group.RunRange(t_scratch32, ((float[])_partials).AsSpan(part * reductions, reductions), _values, lo, hi);
            }
            else
            {
                if (t_scratch64 is null || t_scratch64.Length < scratch) t_scratch64 = new double[scratch];
                _group.RunRange(t_scratch64, ((double[])_partials).AsSpan(part * reductions, reductions), _values, lo, hi);
            }
        }

        private void Combine<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var slots = _group.ReductionSlots;
            var partials = (T[])_partials;
            for (int r = 0; r < slots.Length; r++)
            {
                T sum = T.Zero;
                for (int p = 0; p < _parts; p++) sum += partials[p * slots.Length + r];
                _values[slots[r]]!.Span<T>()[0] = sum;
            }
        }
    }

    private void RunRange<T>(T[] scratch, Span<T> partials, Tensor?[] values, int lo, int hi) where T : unmanaged, IFloatingPointIeee754<T>
    {
        partials.Clear();
        var members = Members;
        for (int start = lo; start < hi; start += Slice)
        {
            int len = Math.Min(Slice, hi - start);
            for (int i = 0; i < members.Length; i++)
            {
                var m = members[i];
                switch (m.Kind)
                {
                    case FusedKind.Elementwise:
                        if (typeof(T) == typeof(float))
                            m.Op!.ApplyChunk(Read<float>(m.X, values, (float[])(object)scratch, start, len), Read<float>(m.Y, values, (float[])(object)scratch, start, len), Write<float>(m.Output, values, (float[])(object)scratch, start, len));
                        else
                            m.Op!.ApplyChunk(Read<double>(m.X, values, (double[])(object)scratch, start, len), Read<double>(m.Y, values, (double[])(object)scratch, start, len), Write<double>(m.Output, values, (double[])(object)scratch, start, len));
                        break;
                    case FusedKind.Fill:
                        Write(m.Output, values, scratch, start, len).Fill(Read(m.X, values, scratch, start, len)[0]);
                        break;
                    case FusedKind.Copy:
                        Read(m.X, values, scratch, start, len).CopyTo(Write(m.Output, values, scratch, start, len));
                        break;
                    case FusedKind.Sum:
                        partials[m.Reduction] += TensorPrimitives.Sum(Read(m.X, values, scratch, start, len));
                        break;
                    case FusedKind.Assign:
                        var v = Read(m.Y, values, scratch, start, len);
                        v.CopyTo(values[m.X.Slot]!.Span<T>().Slice(start, len));
                        v.CopyTo(Write(m.Output, values, scratch, start, len));
                        break;
                }
            }
        }
    }

    private ReadOnlySpan<T> Read<T>(Operand o, Tensor?[] values, T[] scratch, int start, int len)
    {
        if (o.Scratch >= 0) return scratch.AsSpan(o.Scratch * Slice, len);
        if (o.Slot < 0) return default;
        var all = values[o.Slot]!.Span<T>();
        if (o.Inner > 0) return ExpandRuns(all, o, scratch.AsSpan((ScratchCount + o.Run) * Slice, len), start);
        return o.IsScalar ? all[..1] : all.Slice(start, len);
    }

    /// <summary>
    /// row[k] = values[((start + k) / inner) % outer]: the slice of a value broadcast in runs, one fill per run (or,
    /// for runs of one, one copy per repetition of the whole value).
    /// </summary>
    private static ReadOnlySpan<T> ExpandRuns<T>(ReadOnlySpan<T> values, Operand o, Span<T> row, int start)
    {
        for (int k = 0; k < row.Length;)
        {
            int e = start + k;
            if (o.Inner == 1)
            {
                int at = e % o.Outer, count = Math.Min(o.Outer - at, row.Length - k);
                values.Slice(at, count).CopyTo(row.Slice(k, count));
                k += count;
                continue;
            }
            int run = Math.Min(o.Inner - e % o.Inner, row.Length - k);
            row.Slice(k, run).Fill(values[e / o.Inner % o.Outer]);
            k += run;
        }
        return row;
    }

    private static Span<T> Write<T>(Operand o, Tensor?[] values, T[] scratch, int start, int len) =>
        o.Scratch >= 0 ? scratch.AsSpan(o.Scratch * Slice, len) : values[o.Slot]!.Span<T>().Slice(start, len);
}
