namespace Nabla;

/// <summary>An op's forward computation for one element type, bound once so that running it is one indirect call.</summary>
internal delegate void ForwardKernel(ReadOnlySpan<Tensor> inputs, Tensor output);
