using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>Writes this tensor's elements, converted, into <paramref name="destination"/> (same size, any dtype).</summary>
    internal void ConvertInto(Tensor destination)
    {
        switch (DType)
        {
            case DType.Float32: ConvertInto<float>(destination); break;
            case DType.Float64: ConvertInto<double>(destination); break;
            case DType.Int32: ConvertInto<int>(destination); break;
            case DType.Int64: ConvertInto<long>(destination); break;
            default:
                var x = Span<bool>();
                switch (destination.DType)
                {
                    case DType.Float32: Conversion.FromBool(x, destination.Span<float>()); break;
                    case DType.Float64: Conversion.FromBool(x, destination.Span<double>()); break;
                    case DType.Int32: Conversion.FromBool(x, destination.Span<int>()); break;
                    case DType.Int64: Conversion.FromBool(x, destination.Span<long>()); break;
                    default: x.CopyTo(destination.Span<bool>()); break;
                }
                break;
        }
    }

    private void ConvertInto<TFrom>(Tensor destination) where TFrom : unmanaged, INumber<TFrom>
    {
        var x = Span<TFrom>();
        switch (destination.DType)
        {
            case DType.Float32: Conversion.Numbers(x, destination.Span<float>()); break;
            case DType.Float64: Conversion.Numbers(x, destination.Span<double>()); break;
            case DType.Int32: Conversion.Numbers(x, destination.Span<int>()); break;
            case DType.Int64: Conversion.Numbers(x, destination.Span<long>()); break;
            default: Conversion.ToBool(x, destination.Span<bool>()); break;
        }
    }

    /// <summary>The elements as ids: each in [0, count) or -1 where it is not a whole number in that range; bool is refused.</summary>
    internal void ReadIds(Span<int> ids, int count)
    {
        switch (DType)
        {
            case DType.Float32: Indexing.ToIds(Span<float>(), ids, count); break;
            case DType.Float64: Indexing.ToIds(Span<double>(), ids, count); break;
            case DType.Int32: Indexing.ToIds(Span<int>(), ids, count); break;
            case DType.Int64: Indexing.ToIds(Span<long>(), ids, count); break;
            default: throw new DTypeMismatchException($"A bool tensor {Shape} cannot hold ids; Cast it to int32.");
        }
    }
}
