namespace Nabla;

/// <summary>A tensor's elements as <see cref="Memory{T}"/>, for kernels that hand work to other threads (spans cannot cross).</summary>
internal static class TensorMemory
{
    public static Memory<T> Memory<T>(this Tensor t) => ((T[])t.Buffer).AsMemory(0, t.Size);
}
