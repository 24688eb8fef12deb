namespace Nabla.NN.Tests;

/// <summary>A checkpoint's variables exported to safetensors and imported back by name, with shape and dtype checks.</summary>
public class CheckpointSafeTensorsTests
{
    private static (Graph G, Sequential Net, Session S) Model(int hidden, int seed)
    {
        var g = new Graph();
        var net = new Sequential(seed, new Dense(hidden, Activations.Relu), new Dense(3));
        net.Apply(g.Placeholder("x", new Shape(-1, 4)));
        return (g, net, new Session(g));
    }

    [Fact]
    public void ExportedVariablesComeBackByNameBitForBit()
    {
        using var dir = new TempDir();
        var a = Model(5, seed: 1);
        Checkpoint.Save(dir.File("a.ckpt"), a.S, a.Net.Variables, "epoch=3");
        Checkpoint.Read(dir.File("a.ckpt")).ExportSafeTensors(dir.File("a.safetensors"));

        // The file holds one tensor per variable under the variable's name, readable without the model.
        var contents = SafeTensors.Read(dir.File("a.safetensors"));
        Assert.Equal(a.Net.Variables.Select(v => v.Name).Order(), contents.Tensors.Keys.Order());
        Assert.Equal("epoch=3", contents.Metadata[CheckpointData.SafeTensorsMetadataKey]);

        var b = Model(5, seed: 2);
        var data = CheckpointData.ImportSafeTensors(dir.File("a.safetensors"));
        Assert.Equal("epoch=3", data.Metadata);
        data.Restore(b.S, b.Net.Variables);
        foreach (var (va, vb) in a.Net.Variables.Zip(b.Net.Variables))
            Assert.Equal(a.S.GetVariable(va).ToArray<float>(), b.S.GetVariable(vb).ToArray<float>());
    }

    [Fact]
    public void ImportIntoAnotherArchitectureNamesTheVariable()
    {
        using var dir = new TempDir();
        var a = Model(5, seed: 1);
        Checkpoint.Save(dir.File("a.ckpt"), a.S, a.Net.Variables);
        Checkpoint.Read(dir.File("a.ckpt")).ExportSafeTensors(dir.File("a.safetensors"));
        var other = Model(6, seed: 1);
        var before = other.S.GetVariable(other.Net.Variables.First()).ToArray<float>();
        var e = Assert.Throws<CheckpointMismatchException>(() => CheckpointData.ImportSafeTensors(dir.File("a.safetensors")).Restore(other.S, other.Net.Variables));
        Assert.Contains("[4, 5]", e.Message);
        Assert.Equal(before, other.S.GetVariable(other.Net.Variables.First()).ToArray<float>());

        // A variable saved as float64 for a float32 model is refused the same way.
        var v = a.Net.Variables.First();
        SafeTensors.Write(dir.File("f64.safetensors"), a.Net.Variables.Select(x => KeyValuePair.Create(x.Name, x == v ? a.S.GetVariable(x).Cast(DType.Float64) : a.S.GetVariable(x))));
        var e2 = Assert.Throws<CheckpointMismatchException>(() => CheckpointData.ImportSafeTensors(dir.File("f64.safetensors")).Restore(a.S, a.Net.Variables));
        Assert.Contains("double", e2.Message);
    }
}
