using System.Reflection;
using System.Runtime.CompilerServices;

namespace Nabla.Onnx.Tests;

/// <summary>ONNX sits on top of the core: the core knows nothing of protobuf or ONNX, and Nabla.Onnx sees only the core's public API.</summary>
public class LayeringTests
{
    [Fact]
    public void CoreReferencesNeitherProtobufNorOnnx()
    {
        var references = typeof(Graph).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, n => n.Contains("Protobuf", StringComparison.OrdinalIgnoreCase) || n.Contains("Onnx", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void OnnxProjectGetsNoAccessToCoreInternals()
    {
        var friends = typeof(Graph).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToArray();
        Assert.DoesNotContain(friends, f => f.StartsWith("Nabla.Onnx", StringComparison.Ordinal));
        Assert.Contains(typeof(OnnxExporter).Assembly.GetReferencedAssemblies(), a => a.Name == "Google.Protobuf");
    }
}
