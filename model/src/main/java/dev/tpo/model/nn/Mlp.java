package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;

/** HF {@code LlamaMLP}: down(silu(gate(x)) * up(x)). */
public final class Mlp {
    private final Linear gate;
    private final Linear up;
    private final Linear down;

    public Mlp(Linear gate, Linear up, Linear down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    public NDArray forward(NDArray x) {
        NDArray g = gate.forward(x);
        return down.forward(g.mul(g.getNDArrayInternal().sigmoid()).mul(up.forward(x)));
    }
}
