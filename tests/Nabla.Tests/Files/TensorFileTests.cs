namespace Nabla.Tests.Files;

/// <summary>
/// .npy, .npz and safetensors against files written by NumPy (Fixtures/tensor-files/make_fixtures.py), files written
/// by Nabla read back by NumPy, round trips, and corrupt or truncated files.
/// </summary>
public class TensorFileTests
{
    private static string Fixture(string name) => Scratch.Fixture("tensor-files", name);

    /// <summary>The formulas of make_fixtures.py, recomputed here.</summary>
    private static float[] F32Values => Enumerable.Range(0, 24).Select(i => i * 0.25f - 1f).ToArray();
    private static double[] F64Values => Enumerable.Range(0, 15).Select(i => i * 0.1 - 0.7).ToArray();

    [Fact]
    public void ReadsNumPyFloat32AndFloat64()
    {
        var a = Npy.Read(Fixture("float32_2x3x4.npy"));
        Assert.Equal(DType.Float32, a.DType);
        Assert.Equal(new Shape(2, 3, 4), a.Shape);
        Assert.Equal(F32Values, a.ToArray<float>());
        var b = Npy.Read(Fixture("float64_3x5.npy"));
        Assert.Equal(DType.Float64, b.DType);
        Assert.Equal(new Shape(3, 5), b.Shape);
        Assert.Equal(F64Values, b.ToArray<double>());
    }

    [Fact]
    public void ReadsScalarsEmptyArraysBigEndianAndFortranOrder()
    {
        var scalar = Npy.Read(Fixture("scalar_float64.npy"));
        Assert.Equal(Shape.Scalar, scalar.Shape);
        Assert.Equal(2.5, scalar.Scalar<double>());
        Assert.Equal(new Shape(0, 3), Npy.Read(Fixture("empty_float32_0x3.npy")).Shape);
        var big = Npy.Read(Fixture("bigendian_float32_3x2.npy"));
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, big.ToArray<float>());
        // np.asfortranarray(arange(6).reshape(2, 3)): the same logical array, stored column by column.
        var fortran = Npy.Read(Fixture("fortran_float64_2x3.npy"));
        Assert.Equal(new Shape(2, 3), fortran.Shape);
        Assert.Equal(new double[] { 0, 1, 2, 3, 4, 5 }, fortran.ToArray<double>());
    }

    [Fact]
    public void ReadsIntegerAndBoolArraysWrittenByNumPy()
    {
        var ints = Npy.Read(Fixture("int32_4.npy"));
        Assert.Equal(DType.Int32, ints.DType);
        Assert.Equal(new[] { 0, 1, 2, 3 }, ints.ToArray<int>());
        var bools = Npy.Read(Fixture("bool_3.npy"));
        Assert.Equal(DType.Bool, bools.DType);
        Assert.Equal(new[] { true, false, true }, bools.ToArray<bool>());
    }

    [Theory]
    [InlineData("uint8_2.npy", "uint8")]
    [InlineData("float16_2.npy", "float16")]
    public void RefusesElementTypesNablaDoesNotHaveByName(string file, string type)
    {
        var e = Assert.Throws<TensorFileUnsupportedException>(() => Npy.Read(Fixture(file)));
        Assert.Contains(type, e.Message);
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void ReadsNpzStoredAndCompressed()
    {
        foreach (var file in new[] { "arrays.npz", "arrays_compressed.npz" })
        {
            var arrays = Npz.Read(Fixture(file));
            Assert.Equal(["weights", "bias"], arrays.Keys);
            Assert.Equal(F32Values, arrays["weights"].ToArray<float>());
            Assert.Equal(F64Values, arrays["bias"].ToArray<double>());
        }
    }

    [Fact]
    public void ReadsSafeTensorsWrittenBySpecification()
    {
        var contents = SafeTensors.Read(Fixture("model.safetensors"));
        Assert.Equal("pt", contents.Metadata["format"]);
        Assert.Equal(new Shape(2, 3, 4), contents.Tensors["dense/kernel"].Shape);
        Assert.Equal(F32Values, contents.Tensors["dense/kernel"].ToArray<float>());
        Assert.Equal(DType.Float64, contents.Tensors["dense/bias"].DType);
        Assert.Equal(F64Values, contents.Tensors["dense/bias"].ToArray<double>());
        var ids = SafeTensors.Read(Fixture("int64.safetensors")).Tensors["ids"];
        Assert.Equal(DType.Int64, ids.DType);
        Assert.Equal(new long[] { 0, 1, 2 }, ids.ToArray<long>());
    }

    [Fact]
    public void RoundTripsEveryFormatBitForBit()
    {
        using var dir = new Scratch();
        var a = Tensor.RandomNormal(new Shape(3, 1, 4), seed: 3);
        var b = Tensor.RandomNormal(new Shape(5), seed: 4, dtype: DType.Float64);
        var s = Tensor.Scalar(-0.0, DType.Float64);
        foreach (var t in new[] { a, b, s })
        {
            Npy.Write(dir.File("t.npy"), t);
            AssertIdentical(t, Npy.Read(dir.File("t.npy")));
        }
        Npz.Write(dir.File("t.npz"), [new("a", a), new("b", b), new("s", s)]);
        var npz = Npz.Read(dir.File("t.npz"));
        AssertIdentical(a, npz["a"]); AssertIdentical(b, npz["b"]); AssertIdentical(s, npz["s"]);
        SafeTensors.Write(dir.File("t.safetensors"), [new("x/a", a), new("b", b)], new Dictionary<string, string> { ["k"] = "v" });
        var st = SafeTensors.Read(dir.File("t.safetensors"));
        AssertIdentical(a, st.Tensors["x/a"]); AssertIdentical(b, st.Tensors["b"]);
        Assert.Equal("v", st.Metadata["k"]);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [PythonFact("numpy", "python3-numpy")]
    public void NumPyReadsWhatNablaWrites()
    {
        using var dir = new Scratch();
        var a = Tensor.RandomNormal(new Shape(2, 3), seed: 5);
        var b = Tensor.RandomNormal(new Shape(4), seed: 6, dtype: DType.Float64);
        Npy.Write(dir.File("a.npy"), a);
        Npz.Write(dir.File("ab.npz"), [new("a", a), new("b", b)]);
        var (code, output) = Python.Run(
            "import sys, numpy as np\n" +
            "a = np.load(sys.argv[1]); z = np.load(sys.argv[2])\n" +
            "assert a.dtype == np.float32 and a.shape == (2, 3), (a.dtype, a.shape)\n" +
            "assert z['b'].dtype == np.float64 and (z['a'] == a).all()\n" +
            "print(' '.join(repr(float(v)) for v in list(a.ravel()) + list(z['b'])))",
            dir.File("a.npy"), dir.File("ab.npz"));
        Assert.True(code == 0, output);
        var values = output.Trim().Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(a.ToArray<double>().Concat(b.ToArray<double>()), values);
    }

    [Fact]
    public void TruncatedFilesGiveTypedErrorsNamingTheFile()
    {
        using var dir = new Scratch();
        foreach (var (name, read) in new (string, Action<string>)[]
        {
            ("float32_2x3x4.npy", p => Npy.Read(p)),
            ("arrays.npz", p => Npz.Read(p)),
            ("model.safetensors", p => SafeTensors.Read(p)),
        })
        {
            var bytes = File.ReadAllBytes(Fixture(name));
            foreach (int keep in new[] { 0, 5, 9, bytes.Length / 2, bytes.Length - 1 })
            {
                var path = dir.File($"cut{keep}-{name}");
                File.WriteAllBytes(path, bytes[..keep]);
                var e = Assert.ThrowsAny<TensorFileException>(() => read(path));
                Assert.IsType<TensorFileCorruptException>(e);
                Assert.Contains(path, e.Message);
            }
        }
    }

    [Fact]
    public void CorruptHeadersGiveTypedErrors()
    {
        using var dir = new Scratch();
        var npy = File.ReadAllBytes(Fixture("float64_3x5.npy"));
        var text = System.Text.Encoding.Latin1.GetString(npy).Replace("'shape': (3, 5)", "'shape': (3, 6)");
        File.WriteAllBytes(dir.File("shape.npy"), System.Text.Encoding.Latin1.GetBytes(text));
        Assert.Contains("truncated", Assert.Throws<TensorFileCorruptException>(() => Npy.Read(dir.File("shape.npy"))).Message);

        var st = File.ReadAllBytes(Fixture("model.safetensors"));
        var json = System.Text.Encoding.Latin1.GetString(st).Replace("[96, 216]", "[90, 216]");
        File.WriteAllBytes(dir.File("offsets.safetensors"), System.Text.Encoding.Latin1.GetBytes(json));
        Assert.Contains("dense/bias", Assert.Throws<TensorFileCorruptException>(() => SafeTensors.Read(dir.File("offsets.safetensors"))).Message);
        st[8] = (byte)'!';
        File.WriteAllBytes(dir.File("json.safetensors"), st);
        Assert.Contains("JSON", Assert.Throws<TensorFileCorruptException>(() => SafeTensors.Read(dir.File("json.safetensors"))).Message);
        Assert.Throws<TensorFileException>(() => Npy.Read(dir.File("missing.npy")));
    }

    private static void AssertIdentical(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.ToArray<double>().Select(BitConverter.DoubleToInt64Bits), actual.ToArray<double>().Select(BitConverter.DoubleToInt64Bits));
    }
}
