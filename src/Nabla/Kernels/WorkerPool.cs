using System.Runtime.ExceptionServices;

namespace Nabla.Kernels;

/// <summary>Work split into numbered parts that may run on any thread, in any order.</summary>
internal interface IParallelBody
{
    void Run(int part);
}

/// <summary>
/// A fixed set of background threads (one per extra core) for data-parallel kernels, without the per-call
/// allocations and scheduling cost of Parallel.For. One loop runs at a time: a caller that finds the pool
/// busy (another thread, or a part that itself asks for parallelism) runs its parts on its own thread.
/// </summary>
internal static class WorkerPool
{
    private const int Closed = int.MaxValue;
    /// <summary>Generation (high 32 bits) and next unclaimed part (low 32 bits); Closed while a loop is published.</summary>
    private static long s_state;
    private static IParallelBody? s_body;
    private static int s_count;
    private static int s_remaining;
    private static int s_busy;
    private static Exception? s_error;
    private static readonly SemaphoreSlim s_wake = new(0);
    private static readonly int s_workers = StartWorkers();

    /// <summary>Threads that can run parts at once, the caller included.</summary>
    public static int Parallelism => s_workers + 1;

    /// <summary>Runs body.Run(0..count-1) on the caller and the pool's threads and returns when all parts are done.</summary>
    public static void For(int count, IParallelBody body)
    {
        if (count <= 0) return;
        if (count == 1 || s_workers == 0 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body.Run(i);
            return;
        }
        try
        {
            long generation = (Volatile.Read(ref s_state) >> 32) + 1;
            Volatile.Write(ref s_state, (generation << 32) | Closed);
            s_body = body;
            s_count = count;
            s_error = null;
            Volatile.Write(ref s_remaining, count);
            Volatile.Write(ref s_state, generation << 32);
            s_wake.Release(Math.Min(s_workers, count - 1));
            RunParts();
            var spin = new SpinWait();
            while (Volatile.Read(ref s_remaining) > 0) spin.SpinOnce(sleep1Threshold: -1);
            if (s_error is { } error) ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            s_body = null;
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>Claims and runs parts of the current loop until none is left.</summary>
    private static void RunParts()
    {
        while (true)
        {
            long s = Volatile.Read(ref s_state);
            int part = (int)s;
            if (part == Closed) { Thread.SpinWait(1); continue; }
            var body = s_body;
            int count = s_count;
            if (Volatile.Read(ref s_state) >> 32 != s >> 32) continue; // a new loop was published meanwhile
            if (body is null || part >= count) return;
            if (Interlocked.CompareExchange(ref s_state, s + 1, s) != s) continue;
            try { body.Run(part); }
            catch (Exception e) { Interlocked.CompareExchange(ref s_error, e, null); }
            Interlocked.Decrement(ref s_remaining);
        }
    }

    /// <summary>
    /// A worker's life: sleep until woken, run parts, then watch for the next loop for a while before sleeping
    /// again, since a training step issues loops back to back and a wake-up costs tens of microseconds (more on a
    /// virtual machine). 2 ms covers the serial stretches of a step: with 200 µs, an MLP step of batch 64 took
    /// 0.47 ms in some processes and 0.9–1.0 ms in others; OpenMP runtimes spin far longer by default.
    /// </summary>
    private static void Work()
    {
        long spinTicks = System.Diagnostics.Stopwatch.Frequency / 500; // 2 ms
        while (true)
        {
            s_wake.Wait();
            long generation = Volatile.Read(ref s_state) >> 32;
            RunParts();
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + spinTicks;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                if (Volatile.Read(ref s_state) >> 32 != generation)
                {
                    generation = Volatile.Read(ref s_state) >> 32;
                    RunParts();
                    until = System.Diagnostics.Stopwatch.GetTimestamp() + spinTicks;
                }
                Thread.SpinWait(20);
            }
        }
    }

    private static int StartWorkers()
    {
        int workers = Environment.ProcessorCount - 1;
        for (int i = 0; i < workers; i++)
            new Thread(Work) { IsBackground = true, Name = $"Nabla worker {i}" }.Start();
        return workers;
    }
}
