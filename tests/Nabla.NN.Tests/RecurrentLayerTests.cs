namespace Nabla.NN.Tests;

/// <summary>Lstm, Gru and their cells against PyTorch's equations in float64 loops, finite differences and the cell unrolled by hand.</summary>
public class RecurrentLayerTests
{
    private const int N = 2, T = 3, I = 3, H = 2;

    private static double[] Random(int count, int seed, double scale = 0.6) =>
        Tensor.RandomNormal(new Shape(count), seed, 0, scale, DType.Float64).ToArray<double>();

    private static void Near(double[] expected, double[] actual, double tol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tol);
    }

    /// <summary>A float64 graph with x [N, T, I] and initial states [N, H], a built layer with random weights set in the session.</summary>
    private sealed class Fixture : IDisposable
    {
        public readonly Graph G = new();
        public readonly Node X, H0, C0;
        public readonly RecurrentLayer Layer;
        public readonly Node Output;
        public readonly Node FinalH;
        public readonly Node? FinalC;
        public readonly Session S;
        public readonly RecurrentReference.Weights W;
        public readonly Feeds Feeds;

        public Fixture(bool lstm, bool returnSequences = true, int seed = 1)
        {
            X = G.Placeholder("x", new Shape(N, T, I), DType.Float64);
            H0 = G.Placeholder("h0", new Shape(N, H), DType.Float64);
            C0 = G.Placeholder("c0", new Shape(N, H), DType.Float64);
            if (lstm)
            {
                var layer = new Lstm(H, returnSequences) { Name = "enc" };
                var (output, state) = layer.Forward(X, new LstmState(H0, C0));
                (Layer, Output, FinalH, FinalC) = (layer, output, state.H, state.C);
            }
            else
            {
                var layer = new Gru(H, returnSequences) { Name = "enc" };
                var (output, state) = layer.Forward(X, H0);
                (Layer, Output, FinalH) = (layer, output, state);
            }
            int rows = Layer.Cell.Gates * H;
            W = new(Random(rows * I, seed + 1), Random(rows * H, seed + 2), Random(rows, seed + 3), Random(rows, seed + 4), I, H);
            S = new Session(G);
            S.SetVariable(Layer.Cell.WeightIh!, Tensor.FromArray(W.Wih, rows, I));
            S.SetVariable(Layer.Cell.WeightHh!, Tensor.FromArray(W.Whh, rows, H));
            S.SetVariable(Layer.Cell.BiasIh!, Tensor.FromArray(W.Bih, rows));
            S.SetVariable(Layer.Cell.BiasHh!, Tensor.FromArray(W.Bhh, rows));
            Feeds = new Feeds
            {
                [X] = Tensor.FromArray(Random(N * T * I, seed + 5, 1.0), N, T, I),
                [H0] = Tensor.FromArray(Random(N * H, seed + 6), N, H),
                [C0] = Tensor.FromArray(Random(N * H, seed + 7), N, H),
            };
        }

        public double[] Fed(Node n) => Feeds[n].ToArray<double>();

        public Node[] Parameters => [Layer.Cell.WeightIh!, Layer.Cell.WeightHh!, Layer.Cell.BiasIh!, Layer.Cell.BiasHh!];

        public void Dispose() => S.Dispose();
    }

    [Fact]
    public void LstmMatchesPyTorchsEquations()
    {
        using var f = new Fixture(lstm: true);
        var r = f.S.Run([f.Output, f.FinalH, f.FinalC!], f.Feeds);
        var (outputs, h, c) = RecurrentReference.Lstm(f.W, f.Fed(f.X), N, T, f.Fed(f.H0), f.Fed(f.C0));
        Assert.Equal(new Shape(N, T, H), r[0].Shape);
        Near(outputs, r[0].ToArray<double>());
        Near(h, r[1].ToArray<double>());
        Near(c, r[2].ToArray<double>());
    }

    [Fact]
    public void GruMatchesPyTorchsEquations()
    {
        using var f = new Fixture(lstm: false);
        var r = f.S.Run([f.Output, f.FinalH], f.Feeds);
        var (outputs, h) = RecurrentReference.Gru(f.W, f.Fed(f.X), N, T, f.Fed(f.H0));
        Assert.Equal(new Shape(N, T, H), r[0].Shape);
        Near(outputs, r[0].ToArray<double>());
        Near(h, r[1].ToArray<double>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WithoutAnInitialStateTheLayerStartsFromZerosAndAnUnknownBatchWorks(bool lstm)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, T, I), DType.Float64);
        RecurrentLayer layer = lstm ? new Lstm(H, returnSequences: false) : new Gru(H, returnSequences: false);
        var y = layer.Apply(x);
        Assert.Equal(new Shape(-1, H), y.Shape);
        using var s = new Session(g);
        var w = new RecurrentReference.Weights(
            s.Run(layer.Cell.WeightIh!).ToArray<double>(), s.Run(layer.Cell.WeightHh!).ToArray<double>(),
            s.Run(layer.Cell.BiasIh!).ToArray<double>(), s.Run(layer.Cell.BiasHh!).ToArray<double>(), I, H);
        var xs = Random(N * T * I, 9, 1.0);
        var zeros = new double[N * H];
        var want = lstm ? RecurrentReference.Lstm(w, xs, N, T, zeros, zeros).H : RecurrentReference.Gru(w, xs, N, T, zeros).H;
        var got = s.Run(y, new Feeds { [x] = Tensor.FromArray(xs, N, T, I) });
        Assert.Equal(new Shape(N, H), got.Shape);
        Near(want, got.ToArray<double>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ParametersHavePyTorchsLayoutAndInitialization(bool lstm)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 5, 7));
        RecurrentLayer layer = lstm ? new Lstm(16) { Name = "rnn" } : new Gru(16) { Name = "rnn" };
        layer.Apply(x);
        int gates = lstm ? 4 : 3;
        Assert.Equal(["rnn/weight_ih", "rnn/weight_hh", "rnn/bias_ih", "rnn/bias_hh"], layer.Variables.Select(v => v.Name));
        Assert.Equal([new Shape(gates * 16, 7), new Shape(gates * 16, 16), new Shape(gates * 16), new Shape(gates * 16)], layer.Variables.Select(v => v.Shape));
        Assert.Equal(gates * 16 * (7 + 16 + 2), layer.ParameterCount);
        using var s = new Session(g);
        foreach (var v in layer.Variables)
        {
            var values = s.Run(v).ToArray<float>();
            Assert.All(values, e => Assert.InRange(e, -0.25f, 0.25f)); // U(−1/√H, 1/√H), H = 16
            Assert.True(values.Max() > 0.15f && values.Min() < -0.15f, $"{v.Name} does not spread over the interval");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OutputShapesFollowReturnSequences(bool lstm)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(4, 6, 5));
        RecurrentLayer all = lstm ? new Lstm(3) : new Gru(3), last = lstm ? new Lstm(3, returnSequences: false) : new Gru(3, returnSequences: false);
        var ys = all.Apply(x);
        var y = last.Apply(x);
        Assert.Equal(new Shape(4, 6, 3), ys.Shape);
        Assert.Equal(new Shape(4, 3), y.Shape);
        using var s = new Session(g);
        var r = s.Run([ys, y], new Feeds { [x] = Tensor.RandomNormal(new Shape(4, 6, 5), 3) });
        Assert.Equal(new Shape(4, 6, 3), r[0].Shape);
        Assert.Equal(new Shape(4, 3), r[1].Shape);
    }

    /// <summary>The layer's outputs, final state and every gradient equal those of its cell stepped T times by hand.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheScannedLayerEqualsItsCellUnrolledByHand(bool lstm)
    {
        using var f = new Fixture(lstm);
        var g = f.G;
        var steps = new List<Node>();
        Node h = f.H0, c = f.C0;
        for (int t = 0; t < T; t++)
        {
            var xt = f.X.Slice([0, t, 0], [-1, 1, -1]).Reshape(N, I);
            if (f.Layer.Cell is LstmCell lc) (h, c) = lc.Step(xt, new LstmState(h, c));
            else h = ((GruCell)f.Layer.Cell).Step(xt, h);
            steps.Add(h.Reshape(N, 1, H));
        }
        var unrolled = Node.Concat([.. steps], 1);
        var weights = g.Constant(Tensor.FromArray(Random(N * T * H, 20), N, T, H));
        Node Loss(Node output, Node final) => (output * weights).Sum() + final.Square().Sum();
        Node[] xs = [f.X, f.H0, .. (lstm ? new[] { f.C0 } : []), .. f.Parameters];
        var want = f.S.Run([unrolled, h, .. g.Gradients(Loss(unrolled, lstm ? c : h), xs)], f.Feeds);
        var got = f.S.Run([f.Output, f.FinalH, .. g.Gradients(Loss(f.Output, lstm ? f.FinalC! : f.FinalH), xs)], f.Feeds);
        for (int i = 0; i < want.Length; i++) Near(want[i].ToArray<double>(), got[i].ToArray<double>(), 1e-13);
    }

    [Fact]
    public void ACellBuiltOutsideStepsInsideAUsersScan()
    {
        using var f = new Fixture(lstm: true);
        var cell = ((Lstm)f.Layer).Cell;
        var timeMajor = f.X.Transpose(1, 0, 2);
        var (carry, outputs) = f.G.Scan((s, x) =>
        {
            var next = cell.Step(x[0], new LstmState(s[0], s[1]));
            return new ScanStep([next.H, next.C], [next.H]);
        }, [f.H0, f.C0], [timeMajor]);
        var r = f.S.Run([outputs[0].Transpose(1, 0, 2), carry[1]], f.Feeds);
        var (want, _, c) = RecurrentReference.Lstm(f.W, f.Fed(f.X), N, T, f.Fed(f.H0), f.Fed(f.C0));
        Near(want, r[0].ToArray<double>());
        Near(c, r[1].ToArray<double>());
    }

    [Theory]
    [InlineData(true, JacobianMode.Reverse)]
    [InlineData(true, JacobianMode.Forward)]
    [InlineData(false, JacobianMode.Reverse)]
    [InlineData(false, JacobianMode.Forward)]
    public void DerivativesForInputsStatesAndEveryParameterMatchFiniteDifferences(bool lstm, JacobianMode mode)
    {
        using var f = new Fixture(lstm);
        // The whole output sequence and the final state: every Jacobian row is checked.
        var y = Node.Concat([f.Output.Reshape(-1), f.FinalH.Reshape(-1), .. (lstm ? new[] { f.FinalC!.Reshape(-1) } : [])], 0);
        var feeds = new Feeds();
        foreach (var (node, value) in f.Feeds) feeds[node] = value;
        foreach (var p in f.Parameters) feeds[p] = f.S.Run(p);
        Node[] xs = [f.X, f.H0, .. (lstm ? new[] { f.C0 } : []), .. f.Parameters];
        foreach (var x in xs)
        {
            var check = GradientCheck.Compute(y, [x], feeds, new GradientCheckOptions { Mode = mode, Session = f.S });
            Assert.True(check.MaxRelError < 1e-7, $"{mode} d/d{x.Name}: {check.MaxRelError}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WithoutBiasesTheGradientsMatchFiniteDifferences(bool lstm)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(N, T, I), DType.Float64);
        RecurrentLayer layer = lstm ? new Lstm(H, bias: false) : new Gru(H, bias: false);
        var y = layer.Apply(x);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray(Random(N * T * I, 30, 1.0), N, T, I) };
        foreach (var v in layer.Variables) feeds[v] = s.Run(v);
        Assert.Equal(2, layer.Variables.Count);
        foreach (Node wrt in (Node[])[x, .. layer.Variables])
        {
            var check = GradientCheck.Compute(y, [wrt], feeds, new GradientCheckOptions { Session = s });
            Assert.True(check.MaxRelError < 1e-7, $"d/d{wrt.Name}: {check.MaxRelError}");
        }
    }

    /// <summary>
    /// The layer's gradient differentiates again: the Jacobian of its gradient (the Hessian of a scalar loss, in both
    /// modes) against finite differences of that gradient, for the input, the states and every parameter.
    /// </summary>
    [Theory]
    [InlineData(true, JacobianMode.Reverse)]
    [InlineData(true, JacobianMode.Forward)]
    [InlineData(false, JacobianMode.Reverse)]
    [InlineData(false, JacobianMode.Forward)]
    public void TheGradientDifferentiatesAgainAgainstFiniteDifferences(bool lstm, JacobianMode mode)
    {
        using var f = new Fixture(lstm);
        var weights = f.G.Constant(Tensor.FromArray(Random(N * T * H, 21), N, T, H));
        var final = lstm ? (f.FinalH * f.FinalC!).Sum() + f.FinalC!.Square().Sum() : f.FinalH.Square().Sum();
        var loss = (f.Output * weights).Sum() + final;
        Node[] xs = [f.X, f.H0, .. (lstm ? new[] { f.C0 } : []), .. f.Parameters];
        var gradient = Node.Concat([.. f.G.Gradients(loss, xs).Select(d => d!.Reshape(-1))], 0);
        var feeds = new Feeds();
        foreach (var (node, value) in f.Feeds) feeds[node] = value;
        foreach (var p in f.Parameters) feeds[p] = f.S.Run(p);
        foreach (var x in xs)
        {
            var check = GradientCheck.Compute(gradient, [x], feeds, new GradientCheckOptions { Mode = mode, Session = f.S });
            Assert.True(check.MaxRelError < 1e-6, $"{mode} d(gradient)/d{x.Name}: {check.MaxRelError}");
        }
    }

    /// <summary>
    /// The layer's reverse mode is its own (cuDNN's): one reverse Scan over the gates the forward stored, not Scan's
    /// generic VJP (which reruns every forward step), and W_hh's gradient as one matrix product after it.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReverseModeIsOneBackwardScanOverTheStoredGates(bool lstm)
    {
        using var f = new Fixture(lstm);
        int before = f.G.Nodes.Count;
        var loss = f.Output.Sum() + (lstm ? f.FinalC! : f.FinalH).Sum();
        f.G.Gradients(loss, [f.X, f.H0, .. (lstm ? new[] { f.C0 } : []), .. f.Parameters]);
        var added = f.G.Nodes.Skip(before).ToList();
        Assert.DoesNotContain(added, n => n.Name.Contains("ScanGrad"));
        var backward = Assert.Single(added, n => n.OpType == "Scan");
        Assert.Contains("scan_grad", backward.Name);
        // The reverse Scan's elements are the output cotangents and the forward Scan's stored rows, read as they are.
        var forward = Assert.Single(f.G.Nodes.Take(before), n => n.OpType == "Scan");
        Assert.Equal(lstm ? 2 : 5, backward.Inputs.Count(i => i.Inputs.Contains(forward)));
        if (lstm)
        {
            // Each step is one fused op forward and two backward; no gate is sliced out or concatenated.
            var forwardBody = forward.ControlFlow!.Functions[0].Body.Graph.Nodes;
            var backwardBody = backward.ControlFlow!.Functions[0].Body.Graph.Nodes;
            Assert.Single(forwardBody, n => n.OpType == "LstmCell");
            Assert.DoesNotContain(forwardBody, n => n.OpType is "Sigmoid" or "Tanh");
            Assert.Single(backwardBody, n => n.OpType == "LstmCellGrad");
            Assert.Single(backwardBody, n => n.OpType == "LstmCellStateGrad");
            Assert.DoesNotContain(backwardBody, n => n.OpType == "Concat");
        }
        // Outside the Scans: the projection's product, its two gradients and W_hh's single one.
        Assert.Equal(4, f.G.Nodes.Count(n => n.OpType == "MatMul"));
    }

    [Fact]
    public void ABadInputShapeIsATypedErrorNamingTheLayer()
    {
        var g = new Graph();
        var e = Assert.Throws<ShapeMismatchException>(() => new Lstm(4) { Name = "encoder" }.Apply(g.Placeholder("frames", new Shape(8, 5))));
        Assert.Contains("Lstm 'encoder'", e.Message);
        Assert.Contains("'frames'", e.Message);
        Assert.Contains("[batch, time, features]", e.Message);

        var x = g.Placeholder("x", new Shape(2, 5, 3));
        var gru = new Gru(4) { Name = "decoder" };
        var state = Assert.Throws<ShapeMismatchException>(() => gru.Forward(x, g.Placeholder("h0", new Shape(2, 3))));
        Assert.Contains("Gru 'decoder'", state.Message);
        Assert.Contains("[batch, 4]", state.Message);

        var lstm = new Lstm(4) { Name = "enc" };
        lstm.Apply(x);
        var features = Assert.Throws<ShapeMismatchException>(() => lstm.Apply(g.Placeholder("y", new Shape(2, 5, 6))));
        Assert.Contains("built for 3", features.Message);

        var unbuilt = Assert.Throws<InvalidGraphArgumentException>(() => new LstmCell(4) { Name = "cell" }.Step(g.Placeholder("xt", new Shape(2, 3)), new LstmState(g.Placeholder("h", new Shape(2, 4)), g.Placeholder("c", new Shape(2, 4)))));
        Assert.Contains("Build(graph, inputSize)", unbuilt.Message);
    }

    [Fact]
    public void LayersAndCellsPrintTheirSizes()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 10, 8));
        var lstm = new Lstm(32, returnSequences: false);
        Assert.Equal("Lstm(input=0, hidden=32, return_sequences=false)", lstm.ToString());
        lstm.Apply(x);
        Assert.Equal("Lstm(input=8, hidden=32, return_sequences=false)", lstm.ToString());
        Assert.Equal("GruCell(input=5, hidden=6, bias=false)", new GruCell(6, bias: false).Build(g, 5).ToString());
    }

    /// <summary>The Scan reuses its step results and the body's feeds: value and gradients into results made once allocate nothing, forward or reverse.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ARunIntoResultsMadeOnceAllocatesNothing(bool lstm)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(4, 6, 5));
        RecurrentLayer layer = lstm ? new Lstm(8) : new Gru(8);
        var loss = layer.Apply(x).Square().Mean();
        Node[] fetches = [loss, .. g.Gradients(loss, [.. layer.TrainableVariables, x])!];
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.RandomNormal(new Shape(4, 6, 5), 1) };
        var results = s.CreateResults(fetches, feeds);
        for (int i = 0; i < 3; i++) s.Run(fetches, feeds, results);
        long before = GC.GetAllocatedBytesForCurrentThread();
        s.Run(fetches, feeds, results);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(s.Run(fetches, feeds).Select(t => t.ToArray<float>()), results.Select(t => t.ToArray<float>()));
    }
}
