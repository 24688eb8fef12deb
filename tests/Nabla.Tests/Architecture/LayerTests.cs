using System.Reflection;
using System.Runtime.CompilerServices;
using NetArchTest.Rules;

namespace Nabla.Tests.Architecture;

/// <summary>
/// The dependency rules of docs/ARCHITECTURE.md, read from the compiled assemblies (NetArchTest walks every type
/// reference in signatures and IL): Kernels → Ops/Graph → Autodiff/Execution → NN → Visualization/CLI, never upwards.
/// </summary>
public class LayerTests
{
    private static readonly Assembly Core = typeof(Graph).Assembly;

    /// <summary>The execution layer: internal plan machinery and the session API that runs plans.</summary>
    private static readonly string[] ExecutionTypes = ["Nabla.Execution", typeof(Session).FullName!, typeof(Feeds).FullName!];

    /// <summary>The graph and session API that kernels must not see.</summary>
    private static readonly string[] GraphAndSessionTypes =
        [.. ExecutionTypes, typeof(Graph).FullName!, typeof(Node).FullName!, typeof(Op).FullName!, typeof(Tensor).FullName!, "Nabla.AD"];

    private static string Failures(TestResult result) =>
        string.Join(", ", result.FailingTypeNames ?? []);

    [Fact]
    public void KernelsReferenceNoGraphOrSessionType()
    {
        var result = Types.InAssembly(Core).That().ResideInNamespace("Nabla.Kernels")
            .ShouldNot().HaveDependencyOnAny(GraphAndSessionTypes).GetResult();
        Assert.True(result.IsSuccessful, $"kernels that reference the graph or the session: {Failures(result)}");
    }

    [Fact]
    public void OpsAndTheGraphReferenceNoExecutionType()
    {
        var result = Types.InAssembly(Core).That().Inherit(typeof(Op))
            .Or().HaveName(nameof(Op)).Or().HaveName(nameof(IChunkOp)).Or().HaveName("AD").Or().HaveName("OpChecks")
            .Or().HaveName(nameof(Graph)).Or().HaveName(nameof(Node))
            .ShouldNot().HaveDependencyOnAny(ExecutionTypes).GetResult();
        Assert.True(result.IsSuccessful, $"ops or graph types that reference execution types: {Failures(result)}");
    }

    [Fact]
    public void TheRulesSeeDependenciesThatExist()
    {
        // Guards the two rules above against passing vacuously: the same queries do find real references.
        var opsUsingKernels = Types.InAssembly(Core).That().Inherit(typeof(Op)).And().HaveDependencyOn("Nabla.Kernels").GetTypes();
        Assert.Contains(opsUsingKernels, t => t.Name == "MatMulOp");
        var sessionUsingExecution = Types.InAssembly(Core).That().HaveName(nameof(Session)).And().HaveDependencyOnAny(ExecutionTypes).GetTypes();
        Assert.Single(sessionUsingExecution);
    }

    [Theory]
    [InlineData("Nabla.NN")]
    [InlineData("Nabla.Visualization")]
    public void UpperLayersUseOnlyThePublicApi(string assemblyName)
    {
        var friends = Core.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName.Split(',')[0]);
        Assert.DoesNotContain(assemblyName, friends);

        var upper = Assembly.Load(assemblyName);
        var internalTypes = Core.GetTypes().Where(t => !t.IsVisible && !t.IsNested && t.Namespace is not null && !t.Name.StartsWith('<'))
            .Select(t => t.FullName!).ToArray();
        Assert.Contains("Nabla.AddOp", internalTypes);
        var result = Types.InAssembly(upper).ShouldNot().HaveDependencyOnAny(internalTypes).GetResult();
        Assert.True(result.IsSuccessful, $"{assemblyName} types that reference internal types of Nabla: {Failures(result)}");
    }
}
