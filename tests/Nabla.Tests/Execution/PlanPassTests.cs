using Nabla.Execution;

namespace Nabla.Tests.Execution;

/// <summary>Each pass of the plan pipeline on its own, checked against facts worked out by hand or by a naive walk.</summary>
public class PlanPassTests
{
    [Fact]
    public void RunInputsRejectFeedsOfTheWrongDTypeOrShapeAndFetchesOfAnotherGraph()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 3));
        Assert.Same(x.Graph, g);
        var ok = Tensor.Zeros(new Shape(2, 3));
        var fed = RunInputs.Check(g, [x], new Feeds { [x] = ok });
        Assert.Same(ok, fed[x.Id]);
        Assert.Throws<FeedException>(() => RunInputs.Check(g, [x], new Feeds { [x] = Tensor.Zeros(new Shape(2, 4)) }));
        Assert.Throws<FeedException>(() => RunInputs.Check(g, [x], new Feeds { [x] = Tensor.Zeros(new Shape(2, 3), DType.Float64) }));
        var other = new Graph().Placeholder("y");
        Assert.Throws<InvalidGraphArgumentException>(() => RunInputs.Check(g, [other], null));
    }

    [Fact]
    public void PruneKeepsTheFetchesAncestorsInIdOrderAndStopsAtFedNodes()
    {
        var g = new Graph();
        var a = g.Placeholder("a"); var b = g.Placeholder("b"); var c = g.Placeholder("c");
        var ab = a * b;            // fed below: its inputs a and b are not needed
        var unused = c.Exp();      // not an ancestor of y
        var y = ab + c;
        var fed = new Tensor?[g.Nodes.Count];
        fed[ab.Id] = Tensor.Scalar(6);

        var pruned = Pruning.Prune(g, [y], fed);

        Assert.Equal(new[] { c, ab, y }, pruned.Order);
        for (int s = 0; s < pruned.Order.Length; s++) Assert.Equal(s, pruned.SlotOf[pruned.Order[s].Id]);
        Assert.False(pruned.Needed[a.Id] || pruned.Needed[b.Id] || pruned.Needed[unused.Id]);
    }

    [Fact]
    public void ShapeInferenceFixesRunTimeDimsMakesStepsOfComputedNodesAndFixesSources()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 3));
        var w = g.Variable("w", Tensor.Ones(new Shape(3, 2)));
        var k = g.Constant(Tensor.Ones(new Shape(2)), "k");
        var y = x.MatMul(w) + k;
        var fed = new Tensor?[g.Nodes.Count];
        fed[x.Id] = Tensor.Zeros(new Shape(5, 3));
        var pruned = Pruning.Prune(g, [y], fed);
        var wValue = Tensor.Ones(new Shape(3, 2));

        var shaped = ShapeInference.Infer(pruned, fed, node => node == w ? wValue : throw new InvalidOperationException());

        Shape ShapeOf(Node n) => shaped.Shapes[pruned.SlotOf[n.Id]];
        Assert.Equal(new Shape(5, 2), ShapeOf(y));
        Assert.Equal(new Shape(5, 2), ShapeOf(y.Inputs[0]));
        Assert.Equal(new[] { y.Inputs[0], y }, shaped.Steps.Select(s => s.Node));
        Assert.Equal(new[] { pruned.SlotOf[x.Id], pruned.SlotOf[w.Id] }, shaped.Steps[0].Inputs);
        Assert.Contains(shaped.Fixed, f => f.Slot == pruned.SlotOf[w.Id] && ReferenceEquals(f.Value, wValue));
        Assert.Contains(shaped.Fixed, f => f.Slot == pruned.SlotOf[k.Id] && ReferenceEquals(f.Value, k.Op.FixedValue));
    }

    [Fact]
    public void ShapeInferenceReportsAPlaceholderThatWasNotFed()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2), DType.Float64);
        var y = x.Exp();
        var pruned = Pruning.Prune(g, [y], new Tensor?[g.Nodes.Count]);
        var e = Assert.Throws<MissingFeedException>(() => ShapeInference.Infer(pruned, new Tensor?[g.Nodes.Count], _ => throw new InvalidOperationException()));
        Assert.Contains("'x'", e.Message);
        Assert.Contains("double", e.Message);
        Assert.Contains("[2]", e.Message);
    }

    [Fact]
    public void FusionGroupsAChainOfElementwiseStepsAndKeepsItsIntermediatesInScratch()
    {
        const int n = 4096;
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(n));
        var e = x.Exp();
        var t = e.Tanh();
        var y = t * x;
        var m = y.Max(); // not fusable: ends the run
        var (pruned, shaped, fetched) = Passes(g, [y, m], x);

        var fusion = Fusion.Find(shaped.Steps, shaped.Shapes, pruned.Order, fetched, enabled: true);

        int Step(Node node) => shaped.Steps.FindIndex(s => s.Node == node);
        Assert.Single(fusion.Groups);
        Assert.Equal(new[] { 0, 0, 0 }, new[] { e, t, y }.Select(node => fusion.GroupOf[Step(node)]));
        Assert.True(fusion.Internal[pruned.SlotOf[e.Id]] && fusion.Internal[pruned.SlotOf[t.Id]]);
        Assert.False(fusion.Internal[pruned.SlotOf[y.Id]]); // fetched
        Assert.Equal(shaped.Steps.Count - 2, fusion.Schedule(shaped.Steps, new bool[shaped.Steps.Count]).Length);
        Assert.Empty(Fusion.Find(shaped.Steps, shaped.Shapes, pruned.Order, fetched, enabled: false).Groups);
    }

    [Fact]
    public void BufferAssignmentSharesBuffersOnlyBetweenValuesWhoseLifetimesDoNotOverlap()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(64));
        var v = x;
        for (int i = 0; i < 8; i++)
        {
            v = (i % 2 == 0 ? v.Exp() : v.Sin()) + x;
            if (i % 3 == 0) v = v.Reshape(8, 8).Reshape(64); // views: their reads keep the viewed buffer alive
        }
        var (pruned, shaped, fetched) = Passes(g, [v], x);
        var fusion = Fusion.Find(shaped.Steps, shaped.Shapes, pruned.Order, fetched, enabled: false);
        var aliases = Aliasing.Find(shaped.Steps, shaped.Shapes, fetched, fusion);

        var (slotBuffer, buffers) = BufferAssignment.Assign(pruned.Order, shaped.Shapes, shaped.Steps, fetched, fusion, aliases);

        // Naive lifetimes: from the step that makes a value to the last step that reads it or a view of it.
        int Owner(int slot) => aliases.ViewOf[slot] >= 0 ? aliases.ViewOf[slot] : slot;
        var born = new Dictionary<int, int>(); var dies = new Dictionary<int, int>();
        for (int i = 0; i < shaped.Steps.Count; i++)
        {
            int output = Owner(shaped.Steps[i].Output);
            born.TryAdd(output, i);
            dies.TryAdd(output, i);
            foreach (int input in shaped.Steps[i].Inputs) dies[Owner(input)] = Math.Max(dies.GetValueOrDefault(Owner(input)), i);
        }
        var buffered = born.Keys.Where(s => slotBuffer[s] >= 0).ToArray();
        foreach (int a in buffered)
            foreach (int b in buffered)
                if (a < b && slotBuffer[a] == slotBuffer[b])
                    Assert.True(dies[a] <= born[b] || dies[b] <= born[a], $"slots {a} and {b} share buffer {slotBuffer[a]} while both live");
        Assert.Equal(6, aliases.Skipped.Count(s => s));
        for (int s = 0; s < slotBuffer.Length; s++)
            if (aliases.ViewOf[s] >= 0) Assert.Equal(slotBuffer[aliases.ViewOf[s]], slotBuffer[s]);
        Assert.Equal(-1, slotBuffer[pruned.SlotOf[v.Id]]);  // fetched: written into the result tensor
        Assert.Equal(-1, slotBuffer[pruned.SlotOf[x.Id]]);  // fed
        Assert.True(buffers.Length < buffered.Length, $"{buffers.Length} buffers for {buffered.Length} values: nothing was shared");
        foreach (int s in buffered) Assert.True(buffers[slotBuffer[s]].Item2 >= shaped.Shapes[s].Size);
    }

    [Fact]
    public void AliasingMakesViewsOfPlanOwnedValuesOnly()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 3));
        var e = x.Exp();
        var r = e.Reshape(3, 2);           // a view of e
        var rr = r.Reshape(6);             // a view of e, through r
        var same = rr.SumTo(rr);           // a sum to the same shape: a view of e
        var summed = e.SumTo(g.Placeholder("like", new Shape(3))); // a real sum
        var fromFeed = x.Reshape(6);       // a fed value is not the plan's: computed
        var t = x.Tanh();
        var fetchedView = t.Reshape(6);    // a fetched value goes to the caller: computed
        var y = same.Sin() + fromFeed;
        var (pruned, shaped, fetched) = Passes(g, [y, fetchedView, summed], x);
        var fusion = Fusion.Find(shaped.Steps, shaped.Shapes, pruned.Order, fetched, enabled: false);

        var aliases = Aliasing.Find(shaped.Steps, shaped.Shapes, fetched, fusion);

        int Slot(Node n) => pruned.SlotOf[n.Id];
        Assert.Equal(new[] { Slot(e), Slot(e), Slot(e) }, new[] { r, rr, same }.Select(n => aliases.ViewOf[Slot(n)]));
        Assert.All(new[] { e, summed, fromFeed, t, fetchedView, y }, n => Assert.Equal(-1, aliases.ViewOf[Slot(n)]));
        var skippedNodes = shaped.Steps.Where((_, i) => aliases.Skipped[i]).Select(s => s.Node);
        Assert.Equal(new[] { r, rr, same }, skippedNodes);
    }

    private static (PrunedGraph, ShapedSteps, bool[] Fetched) Passes(Graph g, Node[] fetches, Node fedNode)
    {
        var fed = new Tensor?[g.Nodes.Count];
        fed[fedNode.Id] = Tensor.Zeros(fedNode.Shape);
        foreach (var p in g.Nodes.Where(n => n.Op.SourceKind == SourceKind.Placeholder && n != fedNode))
            fed[p.Id] = Tensor.Zeros(p.Shape);
        var pruned = Pruning.Prune(g, fetches, fed);
        var shaped = ShapeInference.Infer(pruned, fed, _ => throw new InvalidOperationException());
        var fetched = new bool[pruned.Order.Length];
        foreach (var f in fetches) fetched[pruned.SlotOf[f.Id]] = true;
        return (pruned, shaped, fetched);
    }
}
