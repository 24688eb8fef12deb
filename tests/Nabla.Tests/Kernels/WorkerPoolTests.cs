using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class WorkerPoolTests
{
    private sealed class Counter(int parts, Action<int>? inner = null) : IParallelBody
    {
        public readonly int[] Hits = new int[parts];
        public void Run(int part) { Interlocked.Increment(ref Hits[part]); inner?.Invoke(part); }
    }

    [Fact]
    public void EveryPartRunsExactlyOnceAcrossManyLoops()
    {
        for (int loop = 0; loop < 200; loop++)
        {
            var body = new Counter(1 + loop % 13);
            WorkerPool.For(body.Hits.Length, body);
            Assert.All(body.Hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void NestedAndConcurrentLoopsStillRunEveryPart()
    {
        var inners = new Counter[8];
        var outer = new Counter(8, part => { inners[part] = new Counter(5); WorkerPool.For(5, inners[part]); });
        Parallel.For(0, 4, _ => { var c = new Counter(9); WorkerPool.For(9, c); Assert.All(c.Hits, h => Assert.Equal(1, h)); });
        WorkerPool.For(8, outer);
        Assert.All(outer.Hits, h => Assert.Equal(1, h));
        Assert.All(inners, c => Assert.All(c.Hits, h => Assert.Equal(1, h)));
    }

    [Fact]
    public void AnExceptionInAPartReachesTheCaller()
    {
        var body = new Counter(6, part => { if (part == 3) throw new InvalidOperationException("part 3"); });
        var e = Assert.Throws<InvalidOperationException>(() => WorkerPool.For(6, body));
        Assert.Equal("part 3", e.Message);
        var after = new Counter(4);
        WorkerPool.For(4, after); // the pool still works
        Assert.All(after.Hits, h => Assert.Equal(1, h));
    }
}
