#!/usr/bin/env python3
"""Regenerates the register-blocked kernels at the end of VectorSparseProducts.java.

Usage (from the repository root):
    python3 src/test/java/dev/lacuna/sparse/gen_vector_kernels.py \
        src/main/java/dev/lacuna/sparse/VectorSparseProducts.java

Everything from the line "// ---- Generated below" to the end of the file is replaced; the
hand-written part above it (dispatch, tiling, threading) is kept. The kernels are written out per
shape because the Vector API needs its accumulators in locals for C2 to keep them in registers.
xt and the output tile live in 64-byte aligned MemorySegments; offsets into them are in bytes
(VB = bytes per vector).
"""
import sys

out = []
def emit(s=""): out.append(s)
def zeros(names): return "FloatVector " + ", ".join(f"{a} = FloatVector.zero(S)" for a in names) + ";"
def plus(base, v, unit="VB"): return base if v == 0 else f"{base} + {v} * {unit}"

def fma_row(ind, p, w, o, V):
    for v in range(V):
        emit(f"{ind}{p}{v} = {w}.fma(load(xt, {plus(o, v)}), {p}{v});")

def csr_one(V, wide):
    it = "int" if wide else "char"; sfx = "Wide" if wide else ""
    emit(f"    /** Row r of CSR, {V} vector(s) of tokens, into the output tile at byte ao. */")
    emit(f"    private static void csrOne{V}{sfx}(MemorySegment xt, int[] rowPtr, {it}[] cols, float[] values, int r, MemorySegment acc, long ao) {{")
    emit(f"        final long tt = {V} * VB;")
    emit(f"        {zeros([f'a{v}' for v in range(V)])}")
    emit(f"        for (int j = rowPtr[r], e = rowPtr[r + 1]; j < e; j++) {{")
    emit(f"            long o = cols[j] * tt;")
    emit(f"            FloatVector w = FloatVector.broadcast(S, values[j]);")
    fma_row("            ", "a", "w", "o", V)
    emit(f"        }}")
    for v in range(V): emit(f"        a{v}.intoMemorySegment(acc, {plus('ao', v)}, BO);")
    emit(f"    }}")
    emit()

def csr_pair(V, wide):
    it = "int" if wide else "char"; sfx = "Wide" if wide else ""
    emit(f"    /**")
    emit(f"     * Rows [r0, r1) of CSR, {V} vector(s) of tokens, two rows in lockstep so that {2 * V} FMA chains hide")
    emit(f"     * the FMA latency; each row keeps its own order.")
    emit(f"     */")
    emit(f"    private static void csrPair{V}{sfx}(MemorySegment xt, int[] rowPtr, {it}[] cols, float[] values, int r0, int r1, MemorySegment acc) {{")
    emit(f"        final long tt = {V} * VB;")
    emit(f"        int r = r0;")
    emit(f"        for (; r + 1 < r1; r += 2) {{")
    emit(f"            {zeros([f'a{v}' for v in range(V)] + [f'b{v}' for v in range(V)])}")
    emit(f"            int ja = rowPtr[r], ea = rowPtr[r + 1], jb = ea, eb = rowPtr[r + 2];")
    emit(f"            for (int common = Math.min(ea - ja, eb - jb); common > 0; common--, ja++, jb++) {{")
    emit(f"                long oa = cols[ja] * tt, ob = cols[jb] * tt;")
    emit(f"                FloatVector wa = FloatVector.broadcast(S, values[ja]), wb = FloatVector.broadcast(S, values[jb]);")
    for v in range(V):
        emit(f"                a{v} = wa.fma(load(xt, {plus('oa', v)}), a{v});")
        emit(f"                b{v} = wb.fma(load(xt, {plus('ob', v)}), b{v});")
    emit(f"            }}")
    for (p, j, e) in (("a", "ja", "ea"), ("b", "jb", "eb")):
        emit(f"            for (; {j} < {e}; {j}++) {{")
        emit(f"                long o = cols[{j}] * tt;")
        emit(f"                FloatVector w = FloatVector.broadcast(S, values[{j}]);")
        fma_row("                ", p, "w", "o", V)
        emit(f"            }}")
    emit(f"            long ao = (r - r0) * tt;")
    for v in range(V): emit(f"            a{v}.intoMemorySegment(acc, {plus('ao', v)}, BO);")
    for v in range(V): emit(f"            b{v}.intoMemorySegment(acc, {plus('ao + tt', v)}, BO);")
    emit(f"        }}")
    emit(f"        if (r < r1) csrOne{V}{sfx}(xt, rowPtr, cols, values, r, acc, (r - r0) * tt);")
    emit(f"    }}")
    emit()

def nm(R, V, NN=None):
    # R rows in lockstep (rows of an N:M weight all have the same slots), V vectors of tokens;
    # NN: slots per group unrolled (None: a loop over nn).
    sfx = "" if NN is None else f"n{NN}"
    what = {None: "a loop over the group's slots", "even": "the group's slots two at a time (n even)"}.get(NN, f"the group's {NN} slots unrolled")
    emit(f"    /** {R} row(s) of N:M from row r in lockstep (all rows have the same slots), {V} vector(s) of tokens, {what}. */")
    emit(f"    private static void nm{R}x{V}{sfx}(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {{")
    emit(f"        final long tt = {V} * VB;")
    emit(f"        final int slots = groups * nn;")
    emit(f"        {zeros([f'a{q}{v}' for q in range(R) for v in range(V)])}")
    emit(f"        int j = r * slots;")
    emit(f"        long kb = 0;")
    def slot(ind, off):
        for q in range(R):
            jj = off if q == 0 else f"{off} + {q} * slots"
            emit(f"{ind}{{")
            emit(f"{ind}    long o = kb + positions[{jj}] * tt;")
            emit(f"{ind}    FloatVector w = FloatVector.broadcast(S, values[{jj}]);")
            fma_row(ind + "    ", f"a{q}", "w", "o", V)
            emit(f"{ind}}}")
    if NN is None:
        emit(f"        for (int g = 0; g < groups; g++, kb += m * tt) {{")
        emit(f"            for (int s = 0; s < nn; s++, j++) {{")
        slot("                ", "j")
        emit(f"            }}")
        emit(f"        }}")
    elif NN == "even":
        emit(f"        for (int g = 0; g < groups; g++, kb += m * tt) {{")
        emit(f"            for (int s = 0; s < nn; s += 2, j += 2) {{")
        slot("                ", "j")
        slot("                ", "j + 1")
        emit(f"            }}")
        emit(f"        }}")
    else:
        emit(f"        for (int g = 0; g < groups; g++, kb += m * tt, j += {NN}) {{")
        for sl in range(NN):
            slot("            ", "j" if sl == 0 else f"j + {sl}")
        emit(f"        }}")
    for q in range(R):
        for v in range(V): emit(f"        a{q}{v}.intoMemorySegment(acc, {plus(plus('ao', q, 'tt'), v)}, BO);")
    emit(f"    }}")
    emit()

def blk(P, V, C=None):
    # P rows of a block (from sub-row q), V vectors of tokens; C: block columns unrolled (None: a loop).
    sfx = "" if C is None else f"c{C}"
    cols = "a loop over the block's columns" if C is None else f"the block's {C} column(s) unrolled"
    emit(f"    /** Sub-rows q .. q+{P - 1} of block row b, {V} vector(s) of tokens, {cols}: per column, {V} xt load(s) feed {P * V} FMA(s). */")
    emit(f"    private static void blk{P}x{V}{sfx}(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {{")
    emit(f"        final long tt = {V} * VB;")
    emit(f"        {zeros([f'a{p}{v}' for p in range(P) for v in range(V)])}")
    emit(f"        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {{")
    emit(f"            long o = blockCols[i] * bc * tt;")
    emit(f"            int wv = i * br * bc + q;")
    def column(ind, oc, wc):
        for v in range(V): emit(f"{ind}FloatVector x{v} = load(xt, {plus(oc, v)});")
        emit(f"{ind}FloatVector w;")
        for p in range(P):
            emit(f"{ind}w = FloatVector.broadcast(S, values[{wc if p == 0 else f'{wc} + {p}'}]);")
            emit(ind + " ".join(f"a{p}{v} = w.fma(x{v}, a{p}{v});" for v in range(V)))
    if C is None:
        emit(f"            for (int c = 0; c < bc; c++, o += tt, wv += br) {{")
        column("                ", "o", "wv")
        emit(f"            }}")
    else:
        for c in range(C):
            if C > 1: emit(f"            {{")
            ind = "                " if C > 1 else "            "
            column(ind, "o" if c == 0 else f"o + {c} * tt", "wv" if c == 0 else f"wv + {c} * br")
            if C > 1: emit(f"            }}")
    emit(f"        }}")
    for p in range(P):
        for v in range(V): emit(f"        a{p}{v}.intoMemorySegment(acc, {plus(plus('ao', p, 'tt'), v)}, BO);")
    emit(f"    }}")
    emit()

def transpose(LN, direction):
    stages = {16: [1, 2, 4, 8], 8: [1, 2, 4]}[LN]
    if direction == "in":
        emit(f"    /** xt rows dO + j·ds (bytes) = column j of the {LN} x {LN} block of x whose row i starts at so + i·ss. */")
        emit(f"    private static void transposeIn{LN}(float[] src, int so, int ss, MemorySegment dst, long dO, long ds) {{")
        for i in range(LN): emit(f"        FloatVector r{i} = FloatVector.fromArray(S, src, {plus('so', i, 'ss')});")
    else:
        emit(f"    /** y rows dO + j·ds = column j (+ bias, when not null) of the {LN} x {LN} output-tile block whose row i starts at byte so + i·ss. */")
        emit(f"    private static void transposeOut{LN}(MemorySegment src, long so, long ss, float[] dst, int dO, int ds, FloatVector bias) {{")
        for i in range(LN): emit(f"        FloatVector r{i} = load(src, {plus('so', i, 'ss')});")
    names = [f"r{i}" for i in range(LN)]
    for s, d in enumerate(stages):
        for i in range(LN):
            if i & d: continue
            a = names[i]; b = names[i + d]; na = f"s{s}_{i}"; nb = f"s{s}_{i + d}"
            emit(f"        FloatVector {na} = LO{s}.selectFrom({a}, {b}), {nb} = HI{s}.selectFrom({a}, {b});")
            names[i] = na; names[i + d] = nb
    if direction == "in":
        for i in range(LN): emit(f"        {names[i]}.intoMemorySegment(dst, {plus('dO', i, 'ds')}, BO);")
    else:
        emit(f"        if (bias == null) {{")
        for i in range(LN): emit(f"            {names[i]}.intoArray(dst, {plus('dO', i, 'ds')});")
        emit(f"        }} else {{")
        for i in range(LN): emit(f"            {names[i]}.add(bias).intoArray(dst, {plus('dO', i, 'ds')});")
        emit(f"        }}")
    emit(f"    }}")
    emit()

emit("    // ---- Generated below by src/test/java/dev/lacuna/sparse/gen_vector_kernels.py (one pattern per")
emit("    // family): regenerate rather than edit one by hand. Accumulators are locals so that C2 keeps them")
emit("    // in registers; every output lane is one FMA chain over the row's stored values in increasing")
emit("    // column order. Keep each method under ~16 vector loads: in larger ones C2 runs out of inlining")
emit("    // budget (NodeCountInliningCutoff), stops inlining the loads and boxes every vector. ----")
emit("    //")
emit("    // Arguments shared by the kernels below (V = vectors of tokens in the method's name, TT = V·L):")
emit("    //   xt        [K', TT] transposed token tile, 64-byte aligned; row k at byte k·TT·4")
emit("    //   acc, ao   output tile [rows, TT]; the first row computed starts at byte ao (at 0 for r0..r1)")
emit("    //   rowPtr    [N + 1], cols / wide [nnz], values [nnz]           (CSR)")
emit("    //   values, positions [N, G, nn], groups G = ceil(K / m), nn, m   (N:M; row r's slots from r·G·nn)")
emit("    //   blockPtr [ceil(N / R) + 1], blockCols [B], values [B, C, R], br = R, bc = C, b = block row,")
emit("    //   q = first row within the block                                (blocked CSR)")
emit("    //   src/dst, so/dO, ss/ds  transposes: row i of the source at so + i·ss, row j of the result")
emit("    //             at dO + j·ds (floats in float[], bytes in segments)")
emit()
for LN in (16, 8):
    transpose(LN, "in"); transpose(LN, "out")
for wide in (False, True):
    for V in (4, 2, 1): csr_one(V, wide)
    for V in (2, 1): csr_pair(V, wide)
for (R, V) in ((2, 4), (4, 2), (4, 1)):
    for NN in (None, 2): nm(R, V, NN)
for V in (4, 2, 1): nm(1, V)
# Columns unrolled only while rows x columns ≤ 4: blk4x4 with its 4 columns unrolled is 7x slower
# (NodeCountInliningCutoff, see above).
for P in (4, 2, 1):
    for C in (None, 1, 2, 4):
        if C is None or P * C <= 4:
            for V in (4, 2, 1): blk(P, V, C)
MARK = "    // ---- Generated below"
if len(sys.argv) != 2:
    sys.exit(__doc__)
path = sys.argv[1]
src = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(src[:src.index(MARK)] + "\n".join(out) + "\n}\n")
