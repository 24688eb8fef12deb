using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// Cache-blocked C = A·B for strided operands (Goto's scheme): for each block of columns and each slice of
/// k, B is packed once into L1-sized panels, then blocks of A rows are packed into L2-sized panels (or read in
/// place when A's rows or columns are contiguous) and swept with the register-tiled microkernel. Large products split over cores: by (row block × column chunk)
/// within each k slice, or, when there are few rows, by column chunks that each run the whole product.
/// </summary>
internal static unsafe class Gemm<TOps, TV, T> where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    private const int MR = GemmMicroKernel.Rows;
    private const int KC = 256, MC = 96, NC = 4096;
    /// <summary>
    /// Up to this many rows of C, row-major B is streamed unpacked: each B panel serves at most 11 row tiles, too few
    /// to repay copying it (measured on [32, 1024]·[1024, 256] and [64, 784]·[784, 256]).
    /// </summary>
    private const int DirectRows = 64;
    /// <summary>
    /// Up to this many rows of C, A·Bᵀ with both operands' rows along k runs as row dot products, unpacked (measured
    /// twice as fast as packing Bᵀ on [32, 256]·[1024, 256]ᵀ, as fast on [64, 128]·[256, 128]ᵀ).
    /// </summary>
    private const int DotRows = 64;
    /// <summary>Row dot products need k of at least this many vectors: each sum ends in a horizontal add.</summary>
    private const int DotDepth = 8;
    /// <summary>Below this many multiply-adds one core is faster than paying for a parallel loop.</summary>
    private const long ParallelThreshold = 1L << 20;
    /// <summary>
    /// Products with at most this many rows or this inner dimension stay on one core whatever their size: each part
    /// would do too little work per packed panel. (A batch of 64 splits: its MLP layers measured faster on two cores
    /// once the pack buffers were aligned and A read in place.)
    /// </summary>
    private const int SerialSide = 16;

    private static int NR => 2 * TOps.Lanes;

    [ThreadStatic] private static AlignedScratch<T>? t_packA;
    [ThreadStatic] private static AlignedScratch<T>? t_packB;
    [ThreadStatic] private static Block? t_block;

    [ThreadStatic] private static Columns? t_columns;

    /// <summary>
    /// C (m×n, row-major, ldc = n) = A·B with A(i, p) = a[i·rsA + p·csA] and B(p, j) = b[p·rsB + j·csB].
    /// </summary>
    public static void Multiply(T* a, nint rsA, nint csA, T* b, nint rsB, nint csB, T* c, int m, int n, int k)
    {
        bool parallel = WorkerPool.Parallelism > 1 && (long)m * n * k >= ParallelThreshold && Math.Min(m, k) > SerialSide;
        if (csA == 1 && rsB == 1 && m <= DotRows && k >= DotDepth * TOps.Lanes)
        {
            GemmRowDots<TOps, TV, T>.Multiply(a, rsA, b, csB, c, m, n, k, parallel && n >= 8);
            return;
        }
        if (parallel && m <= MC * WorkerPool.Parallelism && n >= 2 * NR)
        {
            // Few rows: split the columns instead, one loop per product, each part packing its own slices of B.
            var columns = t_columns ??= new Columns();
            columns.Set(a, rsA, csA, b, rsB, csB, c, m, n, k);
            WorkerPool.For(columns.Parts, columns);
        }
        else Blocked(a, rsA, csA, b, rsB, csB, c, n, m, n, k, parallel);
    }

    /// <summary>C (m×n, rows <paramref name="ldc"/> apart) = A·B, block by block; row blocks in parallel when asked.</summary>
    private static void Blocked(T* a, nint rsA, nint csA, T* b, nint rsB, nint csB, T* c, int ldc, int m, int n, int k, bool parallel)
    {
        var block = t_block ??= new Block();
        bool direct = csB == 1 && m <= DirectRows;
        T* pb = (t_packB ??= new AlignedScratch<T>()).Get(KC * (Math.Min(n, NC) + NR));
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            // Equal k slices of at most KC: a short last slice would pay the C reload for little work.
            int kStep = (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC);
            for (int pc = 0; pc < k; pc += kStep)
            {
                int kc = Math.Min(kStep, k - pc);
                T* bBlock = b + pc * rsB + jc * csB;
                if (direct) GemmPacking.PackB(bBlock + nc / NR * NR, rsB, csB, kc, nc % NR, NR, pb); // only the ragged last panel
                else GemmPacking.PackB(bBlock, rsB, csB, kc, nc, NR, pb);
                block.Set(a + pc * csA, rsA, csA, direct ? bBlock : null, rsB, pb, c + jc, ldc, m, nc, kc, pc > 0);
                if (parallel) block.RunParallel();
                else block.RunRows(0, m, 0, (nc + NR - 1) / NR);
            }
        }
    }

    /// <summary>A product split into column chunks (whole panels), each computed by <see cref="Blocked"/> on one thread.</summary>
    private sealed class Columns : IParallelBody
    {
        private T* a, b, c;
        private nint rsA, csA, rsB, csB;
        private int m, n, k, chunk;

        public int Parts => (n + chunk - 1) / chunk;

        public void Set(T* a, nint rsA, nint csA, T* b, nint rsB, nint csB, T* c, int m, int n, int k)
        {
            this.a = a; this.b = b; this.c = c;
            (this.rsA, this.csA, this.rsB, this.csB, this.m, this.n, this.k) = (rsA, csA, rsB, csB, m, n, k);
            int panels = (n + NR - 1) / NR, parts = Math.Min(panels, 2 * WorkerPool.Parallelism);
            chunk = (panels + parts - 1) / parts * NR;
        }

        public void Run(int part)
        {
            int j0 = part * chunk, cols = Math.Min(chunk, n - j0);
            Blocked(a, rsA, csA, b + j0 * csB, rsB, csB, c + j0, n, m, cols, k, parallel: false);
        }
    }

    /// <summary>One (column block, k slice) step: B already packed; sweeps row blocks of A against it.</summary>
    private sealed class Block : IParallelBody
    {
        private T* a, directB, packedB, c;
        private nint rsA, csA, rsB;
        private int ldc, m, nc, kc;
        private bool accumulate;
        private int _rowBlocks, _chunks, _panelsPerChunk;

        /// <summary>
        /// One k slice: A from <paramref name="a"/>; B either read in place (<paramref name="directB"/> with row stride
        /// <paramref name="rsB"/>, only a ragged last panel packed) or fully packed in <paramref name="packedB"/>.
        /// </summary>
        public void Set(T* a, nint rsA, nint csA, T* directB, nint rsB, T* packedB, T* c, int ldc, int m, int nc, int kc, bool accumulate)
        {
            this.a = a; this.directB = directB; this.rsB = rsB; this.packedB = packedB; this.c = c;
            (this.rsA, this.csA, this.ldc, this.m, this.nc, this.kc, this.accumulate) = (rsA, csA, ldc, m, nc, kc, accumulate);
        }

        public void RunParallel()
        {
            int panels = (nc + NR - 1) / NR;
            _rowBlocks = (m + MC - 1) / MC;
            int want = 2 * WorkerPool.Parallelism;
            _chunks = Math.Clamp((want + _rowBlocks - 1) / _rowBlocks, 1, panels);
            _panelsPerChunk = (panels + _chunks - 1) / _chunks;
            _chunks = (panels + _panelsPerChunk - 1) / _panelsPerChunk;
            WorkerPool.For(_rowBlocks * _chunks, this);
        }

        public void Run(int part)
        {
            int rb = part / _chunks, chunk = part % _chunks;
            int i0 = rb * MC, p0 = chunk * _panelsPerChunk;
            int panels = (nc + NR - 1) / NR;
            RunRows(i0, Math.Min(m, i0 + MC), p0, Math.Min(panels, p0 + _panelsPerChunk));
        }

        /// <summary>
        /// Rows [i0, i1) of C against B panels [p0, p1), in row blocks of MC. A with unit row or column stride is read
        /// in place (only a ragged last row tile is packed, zero-padded); otherwise each row block is packed first.
        /// </summary>
        public void RunRows(int i0, int i1, int p0, int p1)
        {
            T* pa = (t_packA ??= new AlignedScratch<T>()).Get(MC * KC);
            // A tile read in place: rows of A contiguous (aRow = rsA, aStep = 1) or, transposed, its columns (aRow = 1, aStep = csA).
            bool directA = csA == 1 || rsA == 1;
            nint aRow = csA == 1 ? rsA : 1, aStep = csA == 1 ? 1 : csA;
            for (int ic = i0; ic < i1; ic += MC)
            {
                int mc = Math.Min(MC, i1 - ic), full = mc / MR * MR;
                if (!directA) GemmPacking.PackA(a + ic * rsA, rsA, csA, mc, kc, MR, pa);
                else if (full < mc) GemmPacking.PackA(a + (ic + full) * rsA, rsA, csA, mc - full, kc, MR, pa);
                for (int q = p0; q < p1; q++)
                {
                    int j = q * NR, cols = Math.Min(NR, nc - j);
                    bool inPlace = directB != null && cols == NR;
                    T* pb = inPlace ? directB + j : directB != null ? packedB : packedB + q * NR * kc;
                    nint ldb = inPlace ? rsB : NR;
                    for (int i = 0; i < mc; i += MR)
                    {
                        bool packed = !directA || i == full;
                        T* at = !directA ? pa + i * kc : packed ? pa : a + (ic + i) * rsA;
                        Tile(at, packed ? 1 : aRow, packed ? MR : aStep, pb, ldb, c + (ic + i) * (nint)ldc + j, Math.Min(MR, mc - i), cols);
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Tile(T* at, nint aRow, nint aStep, T* pb, nint ldb, T* ct, int rows, int cols)
        {
            if (rows == MR && cols == NR)
            {
                GemmMicroKernel.Tile<TOps, TV, T>(kc, at, aRow, aStep, pb, ldb, ct, ldc, accumulate);
                return;
            }
            // Edge tile: compute the full tile (or its top half) aside, then write only the part inside C.
            T* tmp = stackalloc T[MR * 2 * 16];
            if (rows <= MR / 2) GemmMicroKernel.Tile3<TOps, TV, T>(kc, at, aRow, aStep, pb, ldb, tmp, NR, false);
            else GemmMicroKernel.Tile<TOps, TV, T>(kc, at, aRow, aStep, pb, ldb, tmp, NR, false);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++)
                    ct[r * (nint)ldc + j] = accumulate ? ct[r * (nint)ldc + j] + tmp[r * NR + j] : tmp[r * NR + j];
        }
    }
}
